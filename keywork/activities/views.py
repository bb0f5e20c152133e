from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.activities import forms, services
from keywork.activities.models import Activity, OutcomeEvent
from keywork.core.pages import apply_to_form
from keywork.people import selectors as people_selectors
from keywork.people.selectors import person_header

casework = access.capability_required(access.Capability.CASEWORK)


@casework
def activities(request, person_id: int):
    """Courses, volunteering, work and other activities, each with its outcomes."""
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    listed = Activity.objects.filter(person=person).prefetch_related(
        Prefetch("events", queryset=OutcomeEvent.objects.select_related("came_from"))
    )
    return render(
        request,
        "activities/activities.html",
        {"activities": listed, **person_header(person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def activity_new(request, person_id: int):
    person = people_selectors.person_or_404(fetched_by=request.user, person_id=person_id)
    form = forms.ActivityForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form, lambda d: services.activity_add(actor=request.user, person=person, **d)
        )
    ):
        messages.success(request, "Added the activity.")
        return redirect("activities:activities", person_id=person.pk)
    return render(
        request,
        "people/part_form.html",
        {"form": form, "title": "Add an activity", **person_header(person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def event_new(request, activity_id: int):
    activity = access.get_visible_or_404(
        Activity.objects.filter(person__in=access.people_visible_to(request.user)).select_related(
            "person"
        ),
        pk=activity_id,
    )
    form = forms.EventForm(
        request.POST or None,
        initial={"happened_on": timezone.localdate()},
        courses=Activity.objects.filter(person=activity.person, kind=Activity.Kind.COURSE),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form, lambda d: services.event_add(actor=request.user, activity=activity, **d)
        )
    ):
        messages.success(request, "Recorded the outcome.")
        return redirect("activities:activities", person_id=activity.person_id)
    return render(
        request,
        "people/part_form.html",
        {
            "form": form,
            "title": f"Record an outcome: {activity}",
            **person_header(activity.person),
        },
    )
