from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.accounts.models import User
from keywork.core.fields import record_id_in
from keywork.core.pages import apply_to_form, errors_onto_form, form_page, next_page
from keywork.core.saving import ChangedSinceOpened
from keywork.involvement import forms, selectors, services
from keywork.involvement.models import InvolvementSession
from keywork.people.models import Episode

casework = access.capability_required(access.Capability.CASEWORK)


@casework
def session_list(request):
    services_shown = list(selectors.services_for_involvement(request.user).order_by("name"))
    wanted = record_id_in(request.GET.get("service"))
    service = next((s for s in services_shown if s.pk == wanted), None)
    return render(
        request,
        "involvement/list.html",
        {
            "sessions": list(
                selectors.session_list(fetched_by=request.user, service=service)[:200]
            ),
            "services": services_shown,
            "service": service,
            "my_actions": selectors.open_actions_of(request.user),
            "today": timezone.localdate(),
            "figures_shown": {
                s.pk for s in selectors.services_for_figures(request.user).only("pk")
            },
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def session_new(request):
    form = forms.SessionForm(
        request.POST or None,
        initial={"held_on": timezone.localdate()},
        services=selectors.services_for_involvement(request.user).order_by("name"),
    )
    made: list[InvolvementSession] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form, lambda d: made.append(services.session_record(actor=request.user, **d))
        )
    ):
        messages.success(request, "Saved the session.")
        return redirect("involvement:session", session_id=made[0].pk)
    return render(request, "involvement/form.html", {"form": form, "title": "Record involvement"})


@casework
def session(request, session_id: int):
    item = selectors.session_or_404(fetched_by=request.user, session_id=session_id)
    return render(
        request,
        "involvement/session.html",
        {
            "session": item,
            "participants": selectors.participants_of(fetched_by=request.user, session=item),
            "actions": selectors.actions_of(item),
            "said_did": selectors.said_did_of(item),
            "today": timezone.localdate(),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def session_edit(request, session_id: int):
    """Corrects a session once written, with a version check: a save from a form opened
    before someone else's save is refused, the user's words kept beside the session as
    it now is."""
    item = _checked_session(request, session_id)
    form = forms.SessionEditForm(
        request.POST or None, initial=forms.SessionEditForm.initial_for(item)
    )
    now = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            services.session_update(actor=request.user, session=item, **fields)
        except ChangedSinceOpened as changed:
            now = changed.current
            form.add_error(None, changed)
            # Saving again now saves over the session as it is now, on purpose.
            form.data = form.data.copy()
            form.data["version"] = changed.current_version
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, "Saved the changes to the session.")
            return redirect(_back(item))
    return render(
        request,
        "involvement/form.html",
        {
            "form": form,
            "title": f"Change {item.title}",
            "session": item,
            "now": now,
            "caption": item.service.name,
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def participant_remove(request, participation_id: int):
    """Takes someone added in error off who took part: asked first, then done on POST."""
    part = selectors.participation_or_404(
        fetched_by=request.user, participation_id=participation_id
    )
    item = part.session
    access.check_or_404(request.user, "involvement.run", item.service)
    if request.method == "POST":
        try:
            services.participant_remove(actor=request.user, participation=part)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Took {part.person} off who took part.")
        return redirect(_back(item))
    return render(request, "involvement/participant_remove.html", {"part": part, "session": item})


def _back(item: InvolvementSession) -> str:
    return reverse("involvement:session", args=[item.pk])


def _checked_session(request, session_id: int) -> InvolvementSession:
    item = selectors.session_or_404(fetched_by=request.user, session_id=session_id)
    access.check_or_404(request.user, "involvement.run", item.service)
    return item


@casework
@require_http_methods(["GET", "POST"])
def participant_add(request, session_id: int):
    item = _checked_session(request, session_id)
    supported = Episode.objects.filter(
        service_id=item.service_id, start_date__lte=item.held_on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=item.held_on))
    people = (
        access.people_visible_to(request.user)
        .filter(pk__in=supported.values("person_id"))
        .exclude(involvement__session=item)
        .order_by("last_name", "first_name", "pk")
    )
    form = forms.ParticipantForm(request.POST or None, people=people)
    return form_page(
        request,
        form=form,
        save=lambda d: services.participant_add(actor=request.user, session=item, **d),
        saved="Added who took part.",
        then=_back(item),
        template="involvement/form.html",
        context={"title": f"Who took part in {item.title}", "session": item},
    )


@casework
@require_http_methods(["GET", "POST"])
def action_add(request, session_id: int):
    item = _checked_session(request, session_id)
    staff = (
        User.objects.filter(
            organisation_id=item.organisation_id,
            is_active=True,
            memberships__team__services=item.service,
        )
        .distinct()
        .order_by("full_name", "pk")
    )
    form = forms.ActionForm(request.POST or None, staff=staff)
    return form_page(
        request,
        form=form,
        save=lambda d: services.involvement_action_add(actor=request.user, session=item, **d),
        saved="Added the action.",
        then=_back(item),
        template="involvement/form.html",
        context={"title": f"An action from {item.title}", "session": item},
    )


@casework
@require_http_methods(["GET", "POST"])
def action_done(request, action_id: int):
    action = selectors.action_or_404(fetched_by=request.user, action_id=action_id)
    access.check_or_404(request.user, "involvement.run", action.session.service)
    form = forms.DoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    # Ticked off from My tasks, it goes back there; only a path of this site is followed.
    then = next_page(request, _back(action.session))
    return form_page(
        request,
        form=form,
        save=lambda d: services.involvement_action_done(actor=request.user, action=action, **d),
        saved="Marked the action done.",
        then=then,
        template="involvement/form.html",
        context={
            "title": f"Done: {action.what}",
            "session": action.session,
            "next": then if then != _back(action.session) else "",
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def said_did_add(request, session_id: int):
    item = _checked_session(request, session_id)
    return form_page(
        request,
        form=forms.SaidDidForm(request.POST or None),
        save=lambda d: services.said_did_add(actor=request.user, session=item, **d),
        saved="Added to you said, we did.",
        then=_back(item),
        template="involvement/form.html",
        context={"title": f"You said, we did: {item.title}", "session": item},
    )


@casework
def said_did_print(request, service_id: int):
    """ "You said, we did" for a service, to print and put up for residents: no names."""
    service = access.get_visible_or_404(
        selectors.services_for_involvement(request.user), pk=service_id
    )
    return render(
        request,
        "involvement/said_did_print.html",
        {"service": service, "entries": selectors.said_did_for_service(service)},
    )


def figures(request, service_id: int):
    """Sessions, people involved and actions done per quarter: for the service's lead
    managers and commissioners, as its other figures."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    service = access.get_visible_or_404(selectors.services_for_figures(request.user), pk=service_id)
    this_quarter = selectors.quarter_of(timezone.localdate())
    asked = request.GET.get("quarter")
    chosen = forms.quarter_in(asked) if asked else this_quarter
    problem = ""
    if chosen is None:
        problem = "Enter a quarter as a year and its number, for example 2026-Q3."
        chosen = this_quarter
    elif chosen > this_quarter:
        problem = "That quarter has not started yet: these are this quarter's figures."
        chosen = this_quarter
    before = selectors.quarter_before(chosen)
    after = selectors.quarter_after(chosen)
    return render(
        request,
        "involvement/figures.html",
        {
            "service": service,
            "quarters": selectors.figures(service, last=chosen),
            "people_counted": selectors.people_counted_for(request.user, service),
            "quarter_problem": problem,
            "quarter_asked": asked if problem else forms.quarter_name(chosen),
            "previous_quarter": forms.quarter_name(before),
            "previous_label": selectors.quarter_label(before),
            "next_quarter": forms.quarter_name(after) if after <= this_quarter else "",
            "next_label": selectors.quarter_label(after),
        },
    )
