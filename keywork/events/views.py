from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from keywork import access
from keywork.accounts.models import User
from keywork.core.pages import apply_to_form, errors_onto_form, form_page
from keywork.core.saving import ChangedSinceOpened
from keywork.events import forms, selectors, services
from keywork.events.models import SignUp

casework = access.capability_required(access.Capability.CASEWORK)


def _service_or_404(request, service_id: int):
    return access.get_visible_or_404(selectors.services_for_events(request.user), pk=service_id)


def _can_run(request, event) -> bool:
    return access.check(request.user, "events.run", event)


@casework
def events(request):
    """The events of the services the user works in: straight to the one, or a choice."""
    services = list(selectors.services_for_events(request.user).order_by("name"))
    if len(services) == 1:
        return redirect("events:service", service_id=services[0].pk)
    return render(request, "events/events.html", {"services": services})


@casework
def service(request, service_id: int):
    """A service's events page: its sessions over the next eight weeks and its events."""
    service = _service_or_404(request, service_id)
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return render(
        request,
        "events/service.html",
        {
            "service": service,
            "sessions": selectors.service_sessions(
                fetched_by=request.user, service=service, start=start
            ),
            "events": selectors.service_events(fetched_by=request.user, service=service),
            "shown_most": selectors.SESSIONS_SHOWN,
        },
    )


def _possible_organisers(request, in_scope):
    return (
        User.objects.filter(
            organisation_id=request.user.organisation_id,
            is_active=True,
            memberships__team__services__in=in_scope,
        )
        .distinct()
        .order_by("full_name")
    )


@casework
@require_http_methods(["GET", "POST"])
def event_new(request, service_id: int):
    service = _service_or_404(request, service_id)
    access.check_or_404(request.user, "people.work_in_service", service)
    in_scope = selectors.services_for_events(request.user)
    organisers = _possible_organisers(request, in_scope)
    form = forms.EventForm(
        request.POST or None,
        services=in_scope.order_by("name"),
        organisers=organisers,
        initial={"services": [service.pk], "organisers": [request.user.pk]},
    )
    created = []

    def save(data):
        created.append(services.event_create(actor=request.user, **data))

    if request.method == "POST" and form.is_valid() and apply_to_form(form, save):
        event = created[0]
        count = event.sessions.count()
        messages.success(
            request, f"Added {event.title}, with {count} session{'s' if count != 1 else ''}."
        )
        return redirect("events:event", event_id=event.pk)
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "title": "Add an event or group",
            "service": service,
            "back": reverse("events:service", args=[service.pk]),
        },
    )


@casework
def event(request, event_id: int):
    event = selectors.event_or_404(fetched_by=request.user, event_id=event_id)
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "sessions": selectors.event_sessions(event=event),
            "now": timezone.now(),
            "can_run": _can_run(request, event),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def event_end(request, event_id: int):
    event = selectors.event_or_404(fetched_by=request.user, event_id=event_id)
    access.check_or_404(request.user, "events.run", event)
    form = forms.EndForm(request.POST or None, initial={"last_date": timezone.localdate()})
    return form_page(
        request,
        form=form,
        save=lambda d: services.event_end(actor=request.user, event=event, **d),
        saved="Ended the series. Its past sessions and their registers are kept.",
        then=reverse("events:event", args=[event.pk]),
        template="events/form.html",
        context={
            "title": f"End the series: {event.title}",
            "back": reverse("events:event", args=[event.pk]),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def event_edit(request, event_id: int):
    """Changes an event's details and places, with a version check: a save from a form
    opened before someone else's save is refused, their event shown beside these
    changes, so that neither is lost."""
    event = selectors.event_or_404(fetched_by=request.user, event_id=event_id)
    access.check_or_404(request.user, "events.run", event)
    # Organisers already named stay choosable even if they have since left the services.
    organisers = User.objects.filter(
        Q(pk__in=_possible_organisers(request, selectors.services_for_events(request.user)))
        | Q(pk__in=[u.pk for u in event.organisers.all()])
    ).order_by("full_name")
    form = forms.EventEditForm(
        request.POST or None, organisers=organisers, initial=forms.EventEditForm.initial_for(event)
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            updated = services.event_update(actor=request.user, event=event, **data)
        except ChangedSinceOpened as changed:
            conflict = selectors.event_or_404(fetched_by=request.user, event_id=event.pk)
            form.add_error(None, changed)
            form.data = form.data.copy()
            form.data["version"] = changed.current_version
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            more = (
                " New places at sessions to come go to the first people waiting, and their "
                "key workers are told."
                if updated.capacity > event.capacity
                else ""
            )
            messages.success(request, f"Saved the changes to {updated.title}.{more}")
            return redirect("events:event", event_id=event.pk)
    return render(
        request,
        "events/event_edit.html",
        {"form": form, "event": event, "conflict": conflict},
    )


def _session_context(request, session) -> dict:
    rows = selectors.session_list(fetched_by=request.user, session=session)
    return {
        "session": session,
        "event": session.event,
        "places_left": selectors.places_left(session),
        "with_place": [s for s in rows if s.status in SignUp.HOLDING],
        "waiting": [s for s in rows if s.status == SignUp.Status.WAITING],
        "cancelled": [s for s in rows if s.status == SignUp.Status.CANCELLED],
        "can_run": _can_run(request, session.event),
        "started": session.starts_at <= timezone.now(),
    }


@casework
@require_http_methods(["GET", "POST"])
def session(request, session_id: int):
    """A session: its places and waiting list, and signing people up."""
    session = selectors.session_or_404(fetched_by=request.user, session_id=session_id)
    can_run = _can_run(request, session.event)
    if request.method == "POST" and not can_run:
        raise Http404
    form = forms.SignUpForm(
        request.POST or None,
        people=selectors.people_for_session(fetched_by=request.user, session=session),
    )
    added = []

    def save(data):
        added.append(services.signup_add(actor=request.user, session=session, **data))

    if request.method == "POST" and form.is_valid() and apply_to_form(form, save):
        sign_up = added[0]
        name = sign_up.person.display_name
        if sign_up.status == SignUp.Status.WAITING:
            messages.success(request, f"The session is full: {name} is on the waiting list.")
        else:
            messages.success(request, f"Signed {name} up.")
        return redirect("events:session", session_id=session.pk)
    return render(
        request, "events/session.html", {"form": form, **_session_context(request, session)}
    )


@casework
@require_http_methods(["GET", "POST"])
def session_move(request, session_id: int):
    session = selectors.session_or_404(fetched_by=request.user, session_id=session_id)
    access.check_or_404(request.user, "events.run", session.event)
    local_start, local_end = (
        timezone.localtime(session.starts_at),
        timezone.localtime(session.ends_at),
    )
    form = forms.MoveForm(
        request.POST or None,
        initial={
            "day": local_start.date(),
            "starts_at": local_start.time(),
            "ends_at": local_end.time(),
            "venue": session.venue,
        },
    )

    def save(d):
        services.session_move(
            actor=request.user,
            session=session,
            starts_at=timezone.make_aware(datetime.combine(d["day"], d["starts_at"])),
            ends_at=timezone.make_aware(datetime.combine(d["day"], d["ends_at"])),
            venue=d["venue"],
        )

    return form_page(
        request,
        form=form,
        save=save,
        saved="Moved the session. The rest of the series is as it was.",
        then=reverse("events:session", args=[session.pk]),
        template="events/form.html",
        context={
            "title": f"Move this session: {session}",
            "back": reverse("events:session", args=[session.pk]),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def session_cancel(request, session_id: int):
    session = selectors.session_or_404(fetched_by=request.user, session_id=session_id)
    access.check_or_404(request.user, "events.run", session.event)
    form = forms.ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why is the session cancelled?"
    return form_page(
        request,
        form=form,
        save=lambda d: services.session_cancel(actor=request.user, session=session, **d),
        saved="Cancelled the session. The rest of the series is as it was.",
        then=reverse("events:session", args=[session.pk]),
        template="events/form.html",
        context={
            "title": f"Cancel this session: {session}",
            "back": reverse("events:session", args=[session.pk]),
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def signup_cancel(request, sign_up_id: int):
    sign_up = selectors.sign_up_or_404(fetched_by=request.user, sign_up_id=sign_up_id)
    access.check_or_404(request.user, "events.run", sign_up.session.event)
    form = forms.ReasonForm(request.POST or None)
    form.fields["reason"].label = f"Why is {sign_up.person.display_name} not coming?"
    return form_page(
        request,
        form=form,
        save=lambda d: services.signup_cancel(actor=request.user, sign_up=sign_up, **d),
        saved=f"Cancelled {sign_up.person.display_name}'s place.",
        then=reverse("events:session", args=[sign_up.session_id]),
        template="events/form.html",
        context={
            "title": f"Cancel a place: {sign_up.session}",
            "back": reverse("events:session", args=[sign_up.session_id]),
        },
    )


REGISTER_CHOICES = [
    (SignUp.Status.ATTENDED, "Attended"),
    (SignUp.Status.LATE, "Arrived late"),
    (SignUp.Status.DID_NOT_ATTEND, "Did not attend"),
    (SignUp.Status.CANCELLED, "Cancelled"),
]


@casework
@require_http_methods(["GET", "POST"])
def register(request, session_id: int):
    """The register, quick on a phone: one choice a person, saved at once; and anyone who
    came without signing up."""
    session = selectors.session_or_404(fetched_by=request.user, session_id=session_id)
    access.check_or_404(request.user, "events.run", session.event)
    people = selectors.people_for_session(fetched_by=request.user, session=session)
    walk_in = forms.WalkInForm(
        request.POST if request.POST.get("action") == "walk_in" else None, people=people
    )
    # Who came without signing up is found by name, never listed whole: a service may
    # support thousands. The search is in the address, so it works without JavaScript.
    query = " ".join(request.GET.get("q", "").split())[:100]
    errors: dict[str, str] = {}
    rows = [
        s
        for s in selectors.session_list(fetched_by=request.user, session=session)
        if s.status != SignUp.Status.WAITING or session.starts_at <= timezone.now()
    ]
    if request.method == "POST" and request.POST.get("action") == "walk_in":
        if walk_in.is_valid() and apply_to_form(
            walk_in,
            lambda d: services.walk_in_add(actor=request.user, session=session, **d),
        ):
            messages.success(
                request, f"Added {walk_in.cleaned_data['person'].display_name} to the register."
            )
            return redirect("events:register", session_id=session.pk)
    elif request.method == "POST":
        marks = {
            s.pk: (request.POST.get(f"status-{s.pk}", ""), request.POST.get(f"reason-{s.pk}", ""))
            for s in rows
            if request.POST.get(f"status-{s.pk}")
        }
        try:
            count = services.register_save(actor=request.user, session=session, marks=marks)
        except ValidationError as error:
            errors = {
                field: " ".join(str(m) for m in messages_)
                for field, messages_ in getattr(
                    error, "message_dict", {"register": error.messages}
                ).items()
            }
        else:
            messages.success(request, f"Saved the register ({count} marked).")
            return redirect("events:session", session_id=session.pk)
    matches = (
        selectors.walk_in_matches(fetched_by=request.user, session=session, query=query)
        if query and session.starts_at <= timezone.now() and not session.is_cancelled
        else []
    )
    walk_in.offer(matches)
    for row in rows:
        row.register_error = errors.get(f"status-{row.pk}", "")
        row.reason_error = errors.get(f"reason-{row.pk}", "")
        row.chosen = (
            request.POST.get(f"status-{row.pk}", row.status)
            if request.method == "POST"
            else row.status
        )
        row.reason_given = (
            request.POST.get(f"reason-{row.pk}", row.cancel_reason)
            if request.method == "POST"
            else row.cancel_reason
        )
    return render(
        request,
        "events/register.html",
        {
            "session": session,
            "event": session.event,
            "rows": rows,
            "choices": REGISTER_CHOICES,
            "errors": errors,
            "register_error": errors.get("register", ""),
            "walk_in": walk_in,
            "query": query,
            "matches": matches,
            "shown_most": selectors.WALK_INS_SHOWN,
            "open": session.starts_at <= timezone.now() and not session.is_cancelled,
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def feed_settings(request, service_id: int):
    service = _service_or_404(request, service_id)
    access.check_or_404(request.user, "people.work_in_service", service)
    link = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.events_feed_revoke(actor=request.user, service=service)
            messages.success(request, "The calendar address no longer works.")
            return redirect("events:feed_settings", service_id=service.pk)
        token = services.events_feed_issue(actor=request.user, service=service)
        link = request.build_absolute_uri(reverse("events:feed", args=[token]))
    return render(
        request,
        "events/feed.html",
        {"service": service, "link": link, "feed": selectors.feed_of(service)},
    )


def feed(request, token: str):
    """A service's sessions as iCalendar: no sign-in, the secret address is the key. It
    holds the events, their times and venues, never anyone supported."""
    feed = services.events_feed_for(token=token)
    if feed is None:
        raise Http404
    calendar = Calendar()
    calendar.add("prodid", "-//Keywork//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{feed.service.name}: events")
    for session in selectors.feed_sessions(feed=feed):
        entry = CalendarEvent()
        entry.add("uid", f"event-session-{session.pk}@keywork")
        entry.add("summary", session.event.title)
        entry.add("dtstart", session.starts_at)
        entry.add("dtend", session.ends_at)
        entry.add("dtstamp", timezone.now())
        entry.add("location", session.venue)
        if session.is_cancelled:
            entry.add("status", "CANCELLED")
        calendar.add_component(entry)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
