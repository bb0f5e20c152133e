"""Writes for events and groups: making an event and its sessions from its rule, moving,
cancelling and ending them, signing people up (a waiting list once a session is full),
the register, and the service's calendar feed.

A session's places are counted and taken with its row locked (select_for_update), so
two people taking the last place at the same moment cannot both have it: the second
waits for the first to finish, then finds the session full."""

import calendar
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import check_version, save_checked
from keywork.core.services import notify
from keywork.events.models import Event, EventFeed, Session, SignUp
from keywork.events.permissions import event_service_ids
from keywork.organisations.models import Service
from keywork.people.models import Episode, Person

Status = SignUp.Status
MOST_YEARS = 2


def _clean(text: str, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def _two_years_on(day: date) -> date:
    try:
        return day.replace(year=day.year + MOST_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + MOST_YEARS, day=28)


def session_dates(repeat: str, first: date, until: date | None) -> list[date]:
    """The days a rule gives, from the first date to the last (both included). Monthly is
    the same week and weekday as the first (the first Tuesday); a month without a fifth
    such day is skipped."""
    if repeat == Event.Repeat.ONCE or until is None:
        return [first]
    if repeat in (Event.Repeat.WEEKLY, Event.Repeat.FORTNIGHTLY):
        step = timedelta(days=7 if repeat == Event.Repeat.WEEKLY else 14)
        days, day = [], first
        while day <= until:
            days.append(day)
            day += step
        return days
    week, weekday = (first.day - 1) // 7, first.weekday()
    days, year, month = [], first.year, first.month
    while date(year, month, 1) <= until:
        first_weekday = (weekday - date(year, month, 1).weekday()) % 7 + 1
        day_of_month = first_weekday + 7 * week
        if day_of_month <= calendar.monthrange(year, month)[1]:
            day = date(year, month, day_of_month)
            if first <= day <= until:
                days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def _check_runs(actor: User, event: Event) -> None:
    if not access.check(actor, "events.run", event):
        raise NotFoundOrNotAllowed


def _check_services(actor: User, services: Sequence[Service]) -> None:
    for service in services:
        if not access.check(actor, "people.work_in_service", service):
            raise NotFoundOrNotAllowed


def _check_organisers(actor: User, organisers: Sequence[User]) -> None:
    for user in organisers:
        if user.organisation_id != actor.organisation_id or not user.is_active:
            raise ValidationError({"organisers": "Choose organisers from your organisation."})


@transaction.atomic
def event_create(
    *,
    actor: User,
    services: Sequence[Service],
    title: str,
    kind: str,
    venue: str,
    capacity: int,
    first_date: date,
    starts_at: time,
    ends_at: time,
    repeat: str = Event.Repeat.ONCE,
    until: date | None = None,
    organisers: Sequence[User] = (),
    what_to_bring: str = "",
    cost: Decimal | int = 0,
    accessibility: str = "",
    description: str = "",
) -> Event:
    """An event for one service or several, and its sessions: one, or one for each day
    its rule gives up to its last date (at most two years of them)."""
    access.require(actor, access.Capability.CASEWORK)
    _check_services(actor, services)
    errors: dict[str, str] = {}
    if not services:
        errors["services"] = "Choose the service or services the event is for."
    if capacity is None or capacity < 1:
        errors["capacity"] = "An event has at least 1 place."
    if ends_at <= starts_at:
        errors["ends_at"] = "The end time must be after the start time."
    if repeat != Event.Repeat.ONCE:
        if until is None:
            errors["until"] = "Give the date of the last session: a series needs an end."
        elif until < first_date:
            errors["until"] = "The last date must be on or after the first."
        elif until > _two_years_on(first_date):
            errors["until"] = (
                "A series can run for at most two years: give a last date on or before "
                f"{_two_years_on(first_date):%d/%m/%Y}."
            )
    if cost is not None and Decimal(cost) < 0:
        errors["cost"] = "The cost cannot be less than nothing."
    if errors:
        raise ValidationError(errors)
    _check_organisers(actor, organisers)
    event = Event(
        organisation_id=actor.organisation_id,
        title=_clean(title, 200),
        kind=kind,
        venue=_clean(venue, 300),
        capacity=capacity,
        what_to_bring=(what_to_bring or "").strip(),
        cost=Decimal(cost or 0),
        accessibility=(accessibility or "").strip(),
        description=(description or "").strip(),
        repeat=repeat,
        first_date=first_date,
        until=until if repeat != Event.Repeat.ONCE else None,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    event.full_clean()
    days = session_dates(repeat, first_date, event.until)
    with set_actor(actor):
        event.save()
        event.services.set(services)
        event.organisers.set(organisers)
        for day in days:
            Session(
                event=event,
                starts_at=_at(day, starts_at),
                ends_at=_at(day, ends_at),
                venue=event.venue,
            ).save()
    return event


def _sessions_to_come(event: Event) -> list[Session]:
    """The event's sessions that have not started, their rows locked: no one takes a place
    at one of them while its places are being changed."""
    return list(
        Session.objects.select_for_update()
        .filter(event=event, starts_at__gt=timezone.now())
        .order_by("starts_at", "pk")
    )


def _most_holding(sessions: Sequence[Session]) -> tuple[Session, int] | None:
    """Of the sessions (not cancelled), the one with the most places taken, and how many."""
    holding: dict[int, int] = {}
    for session_id in SignUp.objects.filter(
        session__in=[s for s in sessions if not s.is_cancelled], status__in=SignUp.HOLDING
    ).values_list("session_id", flat=True):
        holding[session_id] = holding.get(session_id, 0) + 1
    if not holding:
        return None
    fullest = max(sessions, key=lambda s: (holding.get(s.pk, 0), -s.starts_at.timestamp()))
    return fullest, holding[fullest.pk]


@transaction.atomic
def event_update(
    *,
    actor: User,
    event: Event,
    version: int,
    title: str,
    kind: str,
    venue: str,
    capacity: int,
    organisers: Sequence[User] = (),
    what_to_bring: str = "",
    cost: Decimal | int = 0,
    accessibility: str = "",
    description: str = "",
) -> Event:
    """Changes an event's details and its places, if nobody has changed them since the form
    was opened (else ChangedSinceOpened, nothing saved).

    A series' new venue goes to its sessions to come, except one moved on its own, which
    keeps its own; cancelled sessions stay cancelled and past ones stay as they were. More
    places go to the first waiting at each session to come, as a place given up does,
    their key workers told. Fewer places than a session to come has people with a place
    is refused: nobody is pushed off."""
    _check_runs(actor, event)
    current = Event.objects.select_for_update().filter(pk=event.pk).first()
    if current is None:
        raise NotFoundOrNotAllowed
    check_version(current, version, what="event")
    errors: dict[str, str] = {}
    if not _clean(title, 200):
        errors["title"] = "Give the event a title."
    if kind not in Event.Kind.values:
        errors["kind"] = "Choose the type of event."
    if not _clean(venue, 300):
        errors["venue"] = "Enter the venue."
    if cost is not None and Decimal(cost) < 0:
        errors["cost"] = "The cost cannot be less than nothing."
    sessions = _sessions_to_come(current)
    if capacity is None or capacity < 1:
        errors["capacity"] = "An event has at least 1 place."
    elif capacity < current.capacity:
        fullest = _most_holding(sessions)
        if fullest is not None and fullest[1] > capacity:
            session, holding = fullest
            who = "1 person has a place" if holding == 1 else f"{holding} people have places"
            errors["capacity"] = (
                f"{who} at the session on {timezone.localtime(session.starts_at):%d/%m/%Y}: "
                f"give at least {holding} places, or cancel places at that session first. "
                "Nobody is taken off a session."
            )
    if errors:
        raise ValidationError(errors)
    _check_organisers(actor, organisers)
    more_places = capacity > current.capacity
    current.title = _clean(title, 200)
    current.kind = kind
    current.venue = _clean(venue, 300)
    current.capacity = capacity
    current.what_to_bring = (what_to_bring or "").strip()
    current.cost = Decimal(cost if cost is not None else 0).quantize(Decimal("0.01"))
    current.accessibility = (accessibility or "").strip()
    current.description = (description or "").strip()
    current.version += 1  # the row is locked, so no one else can move it meanwhile
    save_checked(actor, current)
    with set_actor(actor):
        if {u.pk for u in current.organisers.all()} != {u.pk for u in organisers}:
            current.organisers.set(organisers)
        for session in sessions:
            if not session.moved and session.venue != current.venue:
                session.venue = current.venue
                session.save(update_fields=["venue"])
    if more_places:
        waiting = set(
            SignUp.objects.filter(session__in=sessions, status=Status.WAITING).values_list(
                "session_id", flat=True
            )
        )
        for session in sessions:
            if session.pk not in waiting:
                continue
            session.event = current
            while _give_freed_place(actor, session) is not None:
                pass
    return current


def _locked_session(actor: User, session: Session) -> Session:
    """The session as it is now, its row locked until the transaction ends, once the actor
    is known to run its event."""
    locked = (
        Session.objects.select_for_update(of=("self",))
        .filter(pk=session.pk, event__organisation_id=actor.organisation_id)
        .first()
    )
    if locked is None:
        raise NotFoundOrNotAllowed
    # The event read once the lock is held, not joined to the locking query: on
    # PostgreSQL a join waited on returns the event as it was before the wait, and its
    # places may have been changed meanwhile (event_update holds these locks too).
    locked.event = Event.objects.get(pk=locked.event_id)
    _check_runs(actor, locked.event)
    return locked


@transaction.atomic
def event_end(*, actor: User, event: Event, last_date: date) -> Event:
    """Ends a series after `last_date`: its sessions up to then stay, with their
    registers; later ones without anyone signed up go, and later ones with people signed
    up are cancelled, so that their lists are kept."""
    _check_runs(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_series:
        raise ValidationError({"last_date": "Only a series can be ended; cancel the session."})
    if event.ended_on is not None:
        raise ValidationError({"last_date": "This series has ended already."})
    if last_date < event.first_date:
        raise ValidationError({"last_date": "The series cannot end before its first session."})
    after = _at(last_date + timedelta(days=1), time(0, 0))
    later = list(Session.objects.filter(event=event, starts_at__gte=after))
    with_people = set(SignUp.objects.filter(session__in=later).values_list("session_id", flat=True))
    now = timezone.now()
    with set_actor(actor):
        for session in later:
            if session.pk in with_people:
                if session.cancelled_at is None:
                    session.cancelled_at = now
                    session.cancel_reason = "The series ended."
                    session.save(update_fields=["cancelled_at", "cancel_reason"])
            else:
                session.delete()
        event.ended_on = last_date
        event.save(update_fields=["ended_on"])
    return event


@transaction.atomic
def session_move(
    *, actor: User, session: Session, starts_at: datetime, ends_at: datetime, venue: str
) -> Session:
    """Moves one session (another day, time or venue); the rest of the series stays."""
    session = _locked_session(actor, session)
    if session.is_cancelled:
        raise ValidationError({"day": "This session is cancelled."})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end time must be after the start time."})
    if starts_at < timezone.now() - timedelta(days=1):
        raise ValidationError({"day": "Sessions are moved to a day to come."})
    if not _clean(venue, 300):
        raise ValidationError({"venue": "Enter the venue."})
    session.starts_at, session.ends_at = starts_at, ends_at
    session.venue = _clean(venue, 300)
    session.moved = True
    session.full_clean()
    with set_actor(actor):
        session.save(update_fields=["starts_at", "ends_at", "venue", "moved"])
    return session


@transaction.atomic
def session_cancel(*, actor: User, session: Session, reason: str) -> Session:
    """Calls one session off, saying why; the rest of the series stays."""
    session = _locked_session(actor, session)
    if session.is_cancelled:
        raise ValidationError({"reason": "This session is cancelled already."})
    if not _clean(reason, 300):
        raise ValidationError({"reason": "Say why the session is cancelled."})
    session.cancelled_at = timezone.now()
    session.cancel_reason = _clean(reason, 300)
    with set_actor(actor):
        session.save(update_fields=["cancelled_at", "cancel_reason"])
    return session


def _check_person_for(actor: User, session: Session, person: Person) -> None:
    """The actor may record on the person, and the person is supported by one of the
    event's services now."""
    access.check_can_record_on(actor, person)
    service_ids = event_service_ids(session.event)
    if not Episode.objects.filter(
        person=person, service_id__in=service_ids, end_date__isnull=True
    ).exists():
        raise ValidationError(
            {
                "person": f"{person.display_name} is not supported by the service this event "
                "is for, so cannot be signed up."
            }
        )


def _places_taken(session: Session) -> int:
    return SignUp.objects.filter(session=session, status__in=SignUp.HOLDING).count()


def _on_the_list(session: Session, person: Person) -> None:
    if SignUp.objects.filter(session=session, person=person).exists():
        raise ValidationError(
            {"person": f"{person.display_name} is on this session's list already."}
        )


def _save_new(actor: User, sign_up: SignUp) -> SignUp:
    sign_up.full_clean(validate_unique=False)
    try:
        with transaction.atomic(), set_actor(actor):
            sign_up.save()
    except IntegrityError as error:
        # Someone else put them on the list a moment ago.
        raise ValidationError(
            {"person": f"{sign_up.person.display_name} is on this session's list already."}
        ) from error
    return sign_up


@transaction.atomic
def signup_add(*, actor: User, session: Session, person: Person) -> SignUp:
    """Signs the person up: a place if one is free, else the waiting list."""
    session = _locked_session(actor, session)
    _check_person_for(actor, session, person)
    if session.is_cancelled:
        raise ValidationError({"person": "This session is cancelled: nobody can sign up."})
    if session.starts_at <= timezone.now():
        raise ValidationError(
            {"person": "This session has started: add people who came on the register."}
        )
    _on_the_list(session, person)
    full = _places_taken(session) >= session.event.capacity
    return _save_new(
        actor,
        SignUp(
            session=session,
            person=person,
            status=Status.WAITING if full else Status.PLACE,
            signed_up_at=timezone.now(),
            signed_up_by=actor,
        ),
    )


def _key_workers(person: Person, service_ids: set[int]) -> list[User]:
    episodes = Episode.objects.filter(
        person=person, end_date__isnull=True, key_worker__isnull=False
    ).select_related("key_worker")
    ours = [e.key_worker for e in episodes if e.service_id in service_ids]
    return ours or [e.key_worker for e in episodes]


def _give_freed_place(actor: User, session: Session) -> SignUp | None:
    """The first waiting, if the session is still to come and has a place: they have it,
    and their key worker is told so they can let them know."""
    if session.starts_at <= timezone.now() or session.is_cancelled:
        return None
    if _places_taken(session) >= session.event.capacity:
        return None
    first = (
        SignUp.objects.filter(session=session, status=Status.WAITING)
        .select_related("person")
        .order_by("signed_up_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = Status.PLACE
    with set_actor(actor):
        first.save(update_fields=["status"])
    when = timezone.localtime(session.starts_at)
    for key_worker in _key_workers(first.person, event_service_ids(session.event)):
        notify(
            user=key_worker,
            text=f"{first.person.display_name} now has a place at {session.event.title} on "
            f"{when:%d/%m/%Y at %H:%M}: a place came free. Please let them know.",
            url=f"/events/sessions/{session.pk}/",
            about_person_id=first.person_id,
        )
    return first


def _locked_sign_up(actor: User, sign_up: SignUp) -> tuple[Session, SignUp]:
    session = _locked_session(actor, sign_up.session)
    locked = SignUp.objects.select_related("person").filter(pk=sign_up.pk).first()
    if locked is None or locked.session_id != session.pk:
        raise NotFoundOrNotAllowed
    access.check_can_record_on(actor, locked.person)
    return session, locked


@transaction.atomic
def signup_cancel(*, actor: User, sign_up: SignUp, reason: str) -> SignUp:
    """The person is not coming (said before the session): their place goes to the first
    waiting."""
    session, sign_up = _locked_sign_up(actor, sign_up)
    if sign_up.status not in (Status.PLACE, Status.WAITING):
        raise ValidationError(
            {"reason": "Only a place or a place on the waiting list can be cancelled."}
        )
    if not _clean(reason, 300):
        raise ValidationError({"reason": "Say why they are not coming."})
    sign_up.status = Status.CANCELLED
    sign_up.cancelled_at = timezone.now()
    sign_up.cancel_reason = _clean(reason, 300)
    with set_actor(actor):
        sign_up.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    _give_freed_place(actor, session)
    return sign_up


def _check_register_open(session: Session, field: str) -> None:
    if session.is_cancelled:
        raise ValidationError({field: "This session was cancelled: there is no register."})
    if session.starts_at > timezone.now():
        raise ValidationError({field: "The session has not started yet: take the register then."})


@transaction.atomic
def register_save(*, actor: User, session: Session, marks: Mapping[int, tuple[str, str]]) -> int:
    """The register: for each sign-up (by id), attended, arrived late, did not attend, or
    cancelled (with why). All of it is saved, or none. Gives the number marked."""
    session = _locked_session(actor, session)
    _check_register_open(session, "register")
    rows = {
        s.pk: s
        for s in SignUp.objects.filter(session=session, pk__in=list(marks)).select_related("person")
    }
    errors: dict[str, str] = {}
    changed = []
    holding = _places_taken(session)
    for pk, (status, reason) in marks.items():
        sign_up = rows.get(pk)
        if sign_up is None:
            raise NotFoundOrNotAllowed
        access.check_can_record_on(actor, sign_up.person)
        if status not in SignUp.ATTENDANCE:
            errors[f"status-{pk}"] = f"Choose what happened for {sign_up.person.display_name}."
            continue
        if status == Status.CANCELLED and not _clean(reason, 300):
            errors[f"reason-{pk}"] = f"Say why {sign_up.person.display_name} cancelled."
            continue
        was_holding = sign_up.status in SignUp.HOLDING
        will_hold = status in SignUp.HOLDING
        if will_hold and not was_holding:
            if holding >= session.event.capacity:
                errors[f"status-{pk}"] = (
                    f"The session is full ({session.event.capacity} places): "
                    f"{sign_up.person.display_name} can only come in if someone else's place is "
                    "marked cancelled."
                )
                continue
            holding += 1
        elif was_holding and not will_hold:
            holding -= 1
        if sign_up.status == status and (status != Status.CANCELLED or sign_up.cancel_reason):
            continue
        sign_up.status = status
        if status == Status.CANCELLED:
            sign_up.cancelled_at = sign_up.cancelled_at or timezone.now()
            sign_up.cancel_reason = _clean(reason, 300)
        sign_up.marked_at, sign_up.marked_by = timezone.now(), actor
        changed.append(sign_up)
    if errors:
        raise ValidationError(errors)
    with set_actor(actor):
        for sign_up in changed:
            sign_up.save(
                update_fields=["status", "cancelled_at", "cancel_reason", "marked_at", "marked_by"]
            )
    return len(changed)


@transaction.atomic
def walk_in_add(
    *, actor: User, session: Session, person: Person, status: str = Status.ATTENDED
) -> SignUp:
    """Someone who came without signing up, added to the register (while places last)."""
    session = _locked_session(actor, session)
    _check_person_for(actor, session, person)
    _check_register_open(session, "person")
    if status not in (Status.ATTENDED, Status.LATE):
        raise ValidationError({"status": "Choose attended or arrived late."})
    _on_the_list(session, person)
    if _places_taken(session) >= session.event.capacity:
        raise ValidationError(
            {
                "person": f"The session is full ({session.event.capacity} places): mark "
                "someone who did not come as cancelled first."
            }
        )
    now = timezone.now()
    return _save_new(
        actor,
        SignUp(
            session=session,
            person=person,
            status=status,
            walk_in=True,
            signed_up_at=now,
            signed_up_by=actor,
            marked_at=now,
            marked_by=actor,
        ),
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def events_feed_issue(*, actor: User, service: Service) -> str:
    """A new secret address for the service's events calendar; an earlier one stops."""
    _check_services(actor, [service])
    token = secrets.token_urlsafe(32)
    with set_actor(actor):
        EventFeed.objects.filter(service=service).delete()
        EventFeed.objects.create(service=service, token_hash=_hash(token), created_by=actor)
    return token


@transaction.atomic
def events_feed_revoke(*, actor: User, service: Service) -> None:
    _check_services(actor, [service])
    with set_actor(actor):
        for feed in EventFeed.objects.filter(service=service):
            feed.delete()


def events_feed_for(*, token: str) -> EventFeed | None:
    return (
        EventFeed.objects.filter(token_hash=_hash(token), service__archived_at=None)
        .select_related("service")
        .first()
    )
