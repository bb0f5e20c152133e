from dataclasses import dataclass
from datetime import date, datetime
from heapq import merge

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.notes import search
from keywork.notes.models import FileNote, FileNoteVersion, NoteDraft
from keywork.people.models import Alert, Episode, Person, Referral
from keywork.planning.models import Goal

SEARCH_LIMIT = 50


def notes_of(*, fetched_by: User, person: Person) -> QuerySet[FileNote]:
    return (
        access.notes_visible_to(fetched_by, about=person)
        .select_related("author", "episode__service")
        .order_by("-contact_at", "-pk")
    )


def note_or_404(*, fetched_by: User, note_id: int) -> FileNote:
    notes = (
        access.notes_visible_to(fetched_by)
        .select_related("person", "author", "episode__service", "voided_by")
        .prefetch_related(
            "named_staff",
            "staff_present",
            "attachments",
            "actions",
            Prefetch("goals", queryset=Goal.objects.select_related("domain")),
            Prefetch("versions", queryset=FileNoteVersion.objects.select_related("written_by")),
        )
    )
    return access.get_visible_or_404(notes, pk=note_id)


def draft_of(*, user: User, person: Person) -> NoteDraft | None:
    return NoteDraft.objects.filter(user=user, person=person).first()


def note_search(*, fetched_by: User, query: str):
    person_first = access.people_visible_to(fetched_by).count() <= search.PERSON_FIRST_LIMIT
    return search.search(
        access.notes_visible_to(fetched_by), query, SEARCH_LIMIT, person_first=person_first
    )


# --- The timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # one of TIMELINE_KINDS
    title: str
    detail: str
    url: str
    tie: int  # keeps the order of events at the same moment stable


TIMELINE_KINDS = {
    "note": "File notes",
    "referral": "Referrals",
    "episode": "Support",
    "alert": "Alerts",
    "appointment": "Appointments",
    "plan": "Support plans",
    "outcomes": "Assessments and ratings",
    "risk": "Risk and safety",
    "housing": "Housing and move-on",
    "activities": "Learning, work and activity",
}
PAGE_SIZE = 25


def _day(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, datetime.min.time()))


def timeline(
    *,
    fetched_by: User,
    person: Person,
    kinds: set[str],
    before: datetime | None,
    since: date | None,
) -> tuple[list[Event], datetime | None]:
    """Everything about the person, newest first, one page at a time: each source gives
    at most a page of its newest events before the cursor, and the pages are merged, so
    the work stays the same however long the person's history is."""
    from django.urls import reverse

    before = before or timezone.now() + timezone.timedelta(days=2)
    floor = _day(since) if since else None
    sources = []
    if "note" in kinds:
        notes = notes_of(fetched_by=fetched_by, person=person).filter(contact_at__lt=before)
        if floor:
            notes = notes.filter(contact_at__gte=floor)
        sources.append(
            Event(
                n.contact_at,
                "note",
                f"{n.get_contact_type_display()}: {n.subject}" + (" (void)" if n.is_void else ""),
                f"By {n.author.full_name}"
                + (" · late entry" if n.is_late_entry else "")
                + (" · restricted" if n.restricted else ""),
                reverse("notes:note", args=[n.pk]),
                n.pk,
            )
            for n in notes[:PAGE_SIZE]
        )
    if "referral" in kinds:
        referrals = Referral.objects.filter(person=person, received_on__lt=before.date())
        if since:
            referrals = referrals.filter(received_on__gte=since)
        sources.append(
            Event(
                _day(r.received_on),
                "referral",
                f"Referral to {r.service}",
                r.get_status_display(),
                reverse("people:referral", args=[r.pk]),
                r.pk,
            )
            for r in referrals.select_related("service").order_by("-received_on", "-pk")[:PAGE_SIZE]
        )
    if "episode" in kinds:
        events = []
        episodes = Episode.objects.filter(person=person).select_related("service", "key_worker")
        for e in episodes.order_by("-start_date")[:PAGE_SIZE]:
            events.append(
                Event(
                    _day(e.start_date),
                    "episode",
                    f"Support started: {e.service}",
                    f"Key worker {e.key_worker.full_name}",
                    "",
                    e.pk,
                )
            )
            if e.end_date:
                events.append(
                    Event(
                        _day(e.end_date),
                        "episode",
                        f"Support ended: {e.service}",
                        f"{e.get_end_reason_display()}, to {e.get_destination_display().lower()}",
                        "",
                        e.pk,
                    )
                )
        events = [ev for ev in events if ev.at < before and (not floor or ev.at >= floor)]
        sources.append(sorted(events, key=lambda ev: (ev.at, ev.tie), reverse=True))
    if "alert" in kinds:
        alerts = Alert.objects.filter(person=person, created_at__lt=before)
        if floor:
            alerts = alerts.filter(created_at__gte=floor)
        sources.append(
            Event(
                a.created_at,
                "alert",
                f"Alert: {a.text}",
                "Ended" if a.ended_at else a.get_level_display(),
                "",
                a.pk,
            )
            for a in alerts.order_by("-created_at", "-pk")[:PAGE_SIZE]
        )
    if "appointment" in kinds:
        appointments = appointments_visible_to(fetched_by, about=person).filter(
            starts_at__lt=before
        )
        if floor:
            appointments = appointments.filter(starts_at__gte=floor)
        sources.append(
            Event(
                a.starts_at,
                "appointment",
                f"Appointment: {a.get_kind_display()}",
                a.get_status_display(),
                reverse("notes:appointment", args=[a.pk]),
                a.pk,
            )
            for a in appointments.order_by("-starts_at", "-pk")[:PAGE_SIZE]
        )
    if "plan" in kinds:
        sources.append(_plan_events(person, before, floor, reverse))
    if "outcomes" in kinds:
        sources.append(_outcome_events(person, before, since, reverse))
    if "risk" in kinds:
        sources.append(_risk_events(person, before, floor, reverse))
    if "housing" in kinds:
        sources.append(_housing_events(person, before, since, reverse))
    if "activities" in kinds:
        sources.append(_activity_events(person, before, since, reverse))
    events = list(merge(*sources, key=lambda ev: (ev.at, ev.tie), reverse=True))
    page = events[:PAGE_SIZE]
    older = page[-1].at if len(events) > PAGE_SIZE else None
    return page, older


def _plan_events(person, before, floor, reverse) -> list[Event]:
    """Versions of the plan kept when it was agreed, and reviews (each of which keeps a
    version, shown once, as the review)."""
    from keywork.planning.models import PlanVersion, Review

    versions = PlanVersion.objects.filter(
        plan__person=person, frozen_at__lt=before, review__isnull=True
    )
    reviews = Review.objects.filter(plan__person=person, created_at__lt=before).select_related(
        "held_by", "version"
    )
    if floor:
        versions = versions.filter(frozen_at__gte=floor)
        reviews = reviews.filter(created_at__gte=floor)
    events = [
        Event(
            v.frozen_at,
            "plan",
            f"Support plan version {v.number}",
            v.reason,
            reverse("planning:plan_version", args=[v.plan_id, v.number]),
            v.pk,
        )
        for v in versions.order_by("-frozen_at", "-pk")[:PAGE_SIZE]
    ] + [
        Event(
            r.created_at,
            "plan",
            f"Support plan reviewed ({r.held_on:%d/%m/%Y})",
            f"By {r.held_by.full_name}" + (f": {r.summary[:160]}" if r.summary else ""),
            reverse("planning:plan_version", args=[r.plan_id, r.version.number])
            if hasattr(r, "version")
            else reverse("planning:plan", args=[r.plan_id]),
            r.pk,
        )
        for r in reviews.order_by("-created_at", "-pk")[:PAGE_SIZE]
    ]
    return sorted(events, key=lambda ev: (ev.at, ev.tie), reverse=True)


def _outcome_events(person, before, since, reverse) -> list[Event]:
    """Assessments of needs and strengths, and outcome ratings (one event per day's
    ratings in an episode, not one per area)."""
    from django.db.models import Count, Min

    from keywork.outcomes.models import Rating
    from keywork.planning.models import Assessment

    # Dated events sit at midnight: a cursor part-way through a day still takes that day.
    assessments = Assessment.objects.filter(person=person, assessed_on__lte=before.date())
    ratings = Rating.objects.filter(episode__person=person, rated_on__lte=before.date())
    if since:
        assessments = assessments.filter(assessed_on__gte=since)
        ratings = ratings.filter(rated_on__gte=since)
    days = (
        ratings.values("episode__support_plan", "rated_on")
        .annotate(areas=Count("pk"), first=Min("pk"))
        .order_by("-rated_on", "-first")[:PAGE_SIZE]
    )
    events = [
        Event(
            _day(a.assessed_on),
            "outcomes",
            "Needs and strengths assessed",
            f"By {a.assessed_by.full_name}",
            reverse("planning:assessment", args=[a.pk]),
            a.pk,
        )
        for a in assessments.select_related("assessed_by").order_by("-assessed_on", "-pk")[
            :PAGE_SIZE
        ]
    ] + [
        Event(
            _day(d["rated_on"]),
            "outcomes",
            "Outcome ratings",
            f"{d['areas']} area{'s' if d['areas'] != 1 else ''} of life rated",
            reverse("planning:outcomes", args=[d["episode__support_plan"]])
            if d["episode__support_plan"]
            else "",
            d["first"],
        )
        for d in days
    ]
    events = [ev for ev in events if ev.at < before]
    return sorted(events, key=lambda ev: (ev.at, ev.tie), reverse=True)


def _risk_events(person, before, floor, reverse) -> list[Event]:
    """Saves of the risk assessment, the person's part in incidents (nothing of anyone
    else in them), and safeguarding referrals."""
    from keywork.risk.models import IncidentPerson, RiskVersion, SafeguardingReferral

    versions = RiskVersion.objects.filter(assessment__person=person, saved_at__lt=before)
    parts = IncidentPerson.objects.filter(person=person, incident__occurred_at__lt=before)
    referrals = SafeguardingReferral.objects.filter(person=person, created_at__lt=before)
    if floor:
        versions = versions.filter(saved_at__gte=floor)
        parts = parts.filter(incident__occurred_at__gte=floor)
        referrals = referrals.filter(created_at__gte=floor)
    events = [
        Event(
            v.saved_at,
            "risk",
            f"Risk assessment version {v.number}: {v.get_overall_display().lower()} overall",
            f"By {v.saved_by.full_name}",
            reverse("risk:risk_version", args=[person.pk, v.number]),
            v.pk,
        )
        for v in versions.select_related("saved_by").order_by("-saved_at", "-pk")[:PAGE_SIZE]
    ]
    events += [
        Event(
            p.incident.occurred_at,
            "risk",
            f"Incident: {p.incident.get_type_display()}",
            f"{p.incident.get_severity_display()} · "
            + ("signed off" if p.incident.signed_off_at else "waiting for a manager"),
            reverse("risk:incident_part", args=[p.pk]),
            p.pk,
        )
        for p in parts.select_related("incident").order_by("-incident__occurred_at", "-pk")[
            :PAGE_SIZE
        ]
    ]
    events += [
        Event(
            r.created_at,
            "risk",
            f"Safeguarding referral to {r.referred_to}",
            r.get_outcome_display(),
            reverse("risk:safeguarding", args=[r.pk]),
            r.pk,
        )
        for r in referrals.order_by("-created_at", "-pk")[:PAGE_SIZE]
    ]
    return sorted(events, key=lambda ev: (ev.at, ev.tie), reverse=True)


def _housing_events(person, before, since, reverse) -> list[Event]:
    """Moves in and out of the service's rooms, housing applications and the checks
    after a move-on."""
    from keywork.housing.models import HousingApplication, SustainmentCheck, Tenancy

    # Dated events sit at midnight: a cursor part-way through a day still takes that day.
    last_day = before.date()
    stays = Tenancy.objects.filter(person=person, start_date__lte=last_day)
    applications = HousingApplication.objects.filter(plan__person=person, applied_on__lte=last_day)
    checks = SustainmentCheck.objects.filter(person=person, checked_on__lte=last_day)
    if since:
        stays = stays.filter(Q(start_date__gte=since) | Q(end_date__gte=since))
        applications = applications.filter(applied_on__gte=since)
        checks = checks.filter(checked_on__gte=since)
    events = []
    for t in stays.select_related("unit__property").order_by("-start_date", "-pk")[:PAGE_SIZE]:
        url = reverse("housing:episode", args=[t.episode_id])
        events.append(
            Event(
                _day(t.start_date),
                "housing",
                f"Moved into {t.unit}",
                t.get_kind_display(),
                url,
                t.pk,
            )
        )
        if t.end_date:
            events.append(
                Event(_day(t.end_date), "housing", f"Moved out of {t.unit}", "", url, t.pk)
            )
    events += [
        Event(
            _day(a.applied_on),
            "housing",
            f"Housing application: {a.get_route_display()}",
            f"{a.get_status_display()} ({a.status_on:%d/%m/%Y})",
            reverse("housing:application", args=[a.pk]),
            a.pk,
        )
        for a in applications.order_by("-applied_on", "-pk")[:PAGE_SIZE]
    ]
    events += [
        Event(
            _day(c.checked_on),
            "housing",
            f"{c.months}-month check after moving on",
            "Still housed" if c.still_housed else "Not housed",
            reverse("housing:episode", args=[c.episode_id]),
            c.pk,
        )
        for c in checks.order_by("-checked_on", "-pk")[:PAGE_SIZE]
    ]
    events = [ev for ev in events if ev.at < before and (not since or ev.at >= _day(since))]
    return sorted(events, key=lambda ev: (ev.at, ev.tie), reverse=True)


def _activity_events(person, before, since, reverse) -> list[Event]:
    from keywork.activities.models import OutcomeEvent

    events = OutcomeEvent.objects.filter(
        activity__person=person, happened_on__lte=before.date()
    ).select_related("activity")
    if since:
        events = events.filter(happened_on__gte=since)
    listed = [
        Event(
            _day(e.happened_on),
            "activities",
            f"{e.get_kind_display()}: {e.activity.title}",
            e.detail or e.activity.get_kind_display(),
            reverse("activities:activities", args=[person.pk]),
            e.pk,
        )
        for e in events.order_by("-happened_on", "-pk")[:PAGE_SIZE]
    ]
    return [ev for ev in listed if ev.at < before]


# --- Appointments ------------------------------------------------------------------------


def appointments_visible_to(user: User, *, about: Person | None = None) -> QuerySet:
    """Appointments with people the user may see (with `about`, with that one person,
    checked once: see access.notes_visible_to)."""
    from keywork.notes.models import Appointment

    appointments = access.scoped_to_organisation(user, Appointment.objects.all())
    if about is None:
        appointments = appointments.filter(person__in=access.people_visible_to(user))
    elif access.may_see_person(user, about):
        appointments = appointments.filter(person=about)
    else:
        appointments = appointments.none()
    return (
        appointments
        # The risk goes with every appointment: a worker sees it before they go.
        .select_related("person__risk_assessment", "episode__service").prefetch_related(
            "staff", "person__risk_assessment__areas"
        )
    )


def my_appointments(*, user: User, days_back: int = 7) -> QuerySet:
    since = timezone.now() - timezone.timedelta(days=days_back)
    return (
        appointments_visible_to(user)
        .filter(staff=user, starts_at__gte=since)
        .order_by("starts_at", "pk")
    )


def appointment_or_404(*, fetched_by: User, appointment_id: int):
    return access.get_visible_or_404(appointments_visible_to(fetched_by), pk=appointment_id)


def calendar_appointments(user: User) -> QuerySet:
    """What a worker's calendar feed holds: their appointments from a month ago to six
    months ahead, cancelled ones left out."""
    from keywork.notes.models import Appointment

    now = timezone.now()
    return (
        Appointment.objects.filter(
            organisation_id=user.organisation_id,
            staff=user,
            starts_at__gte=now - timezone.timedelta(days=30),
            starts_at__lte=now + timezone.timedelta(days=183),
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("person")
        .order_by("starts_at")
    )
