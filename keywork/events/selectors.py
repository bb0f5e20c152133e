"""Reads for events and groups, scoped to who asks. Events belong to services: staff see
the events of the services they work in. Who is signed up is personal data: a list or a
register holds only the people the reader may see, and each one shown is audited."""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_shown
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.events.models import Event, EventFeed, Session, SignUp
from keywork.organisations.models import Service
from keywork.people.matching import fold
from keywork.people.models import Episode, Person

SESSIONS_SHOWN = 60
WALK_INS_SHOWN = 20


def services_for_events(user: User) -> QuerySet[Service]:
    """The services whose events the user sees and runs: those they do casework in."""
    return access.services_for_casework(user)


def events_visible_to(user: User) -> QuerySet[Event]:
    events = access.scoped_to_organisation(user, Event.objects.all())
    if not access.has_capability(user, access.Capability.CASEWORK):
        return events.none()
    service_ids = access.service_ids_in_scope(user, access.Capability.CASEWORK)
    if service_ids is None:
        return events
    return events.filter(
        Exists(
            Event.services.through.objects.filter(event=OuterRef("pk"), service_id__in=service_ids)
        )
    )


def _with_services(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.prefetch_related(Prefetch("services", queryset=Service.objects.order_by("name")))


def event_or_404(*, fetched_by: User, event_id: int) -> Event:
    events = _with_services(events_visible_to(fetched_by)).prefetch_related("organisers")
    return access.get_visible_or_404(events, pk=event_id)


def sessions_visible_to(user: User) -> QuerySet[Session]:
    return Session.objects.filter(event__in=events_visible_to(user))


def session_or_404(*, fetched_by: User, session_id: int) -> Session:
    sessions = sessions_visible_to(fetched_by).select_related("event")
    session = access.get_visible_or_404(sessions, pk=session_id)
    # The event's services, for the checks the page makes on it.
    session.event = event_or_404(fetched_by=fetched_by, event_id=session.event_id)
    return session


def _with_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Each with its places left: what anyone running the event needs, to know whether
    there is room. Not how many are signed up or waiting: a reader may not see everyone
    on the list, and a count would tell them of people they may not see."""
    return sessions.annotate(
        places_left=F("event__capacity")
        - Count("sign_ups", filter=Q(sign_ups__status__in=SignUp.HOLDING))
    )


def service_sessions(
    *, fetched_by: User, service: Service, start: datetime, days: int = 56
) -> list[Session]:
    """The service's sessions from `start` over the days given (eight weeks), at most
    SESSIONS_SHOWN, with their events: a few queries however many there are."""
    sessions = _with_places(
        sessions_visible_to(fetched_by)
        .filter(
            event__services=service,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=days),
        )
        .select_related("event")
        .order_by("starts_at", "pk")
    )
    return list(sessions[:SESSIONS_SHOWN])


def service_events(*, fetched_by: User, service: Service) -> list[Event]:
    """The service's events, with the services each is for and its next session."""
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return list(
        _with_services(events_visible_to(fetched_by).filter(services=service))
        .annotate(
            upcoming=Count(
                "sessions",
                filter=Q(sessions__starts_at__gte=today, sessions__cancelled_at=None),
            )
        )
        .order_by("title", "pk")
    )


def event_sessions(*, event: Event) -> list[Session]:
    return list(_with_places(Session.objects.filter(event=event)).order_by("starts_at", "pk"))


def places_left(session: Session) -> int:
    """The session's places not taken (see _with_places for why not the number taken)."""
    taken = SignUp.objects.filter(session=session, status__in=SignUp.HOLDING).count()
    return max(session.event.capacity - taken, 0)


def session_list(*, fetched_by: User, session: Session) -> list[SignUp]:
    """Who is on the session's list (places, waiting, the register), of the people the
    reader may see; each one shown is audited."""
    rows = list(
        SignUp.objects.filter(session=session, person__in=access.people_visible_to(fetched_by))
        .select_related("person")
        .order_by("signed_up_at", "pk")
    )
    record_shown(actor=fetched_by, model=SignUp, objects=rows)
    return rows


def sign_up_or_404(*, fetched_by: User, sign_up_id: int) -> SignUp:
    rows = SignUp.objects.filter(
        session__in=sessions_visible_to(fetched_by),
        person__in=access.people_visible_to(fetched_by),
    ).select_related("person", "session__event")
    return access.get_visible_or_404(rows, pk=sign_up_id)


def people_for_session(*, fetched_by: User, session: Session) -> QuerySet[Person]:
    """Whom the reader may put on the session's list: people they may see who are
    supported by one of the event's services now, and not on the list already."""
    service_ids = [s.pk for s in session.event.services.all()]
    return (
        access.people_visible_to(fetched_by)
        .filter(
            Exists(
                Episode.objects.filter(
                    person=OuterRef("pk"), service_id__in=service_ids, end_date__isnull=True
                )
            )
        )
        .exclude(event_sign_ups__session=session)
        .order_by("last_name", "first_name", "pk")
    )


def walk_in_matches(*, fetched_by: User, session: Session, query: str) -> list[Person]:
    """Whom the register may add as having come without signing up, found by name (part
    of any of their names, any case, with or without accents): at most WALK_INS_SHOWN of
    the people people_for_session gives, so a service of thousands answers as fast as one
    of ten. Each one shown is audited."""
    words = fold(query.replace("\x00", "")[:100]).split()
    if not words:
        return []
    name_match = Q()
    for word in words:
        name_match &= Q(search_names__contains=word)
    found = list(
        people_for_session(fetched_by=fetched_by, session=session).filter(name_match)[
            :WALK_INS_SHOWN
        ]
    )
    record_shown(actor=fetched_by, model=Person, objects=found)
    return found


def person_sign_ups(*, fetched_by: User, person: Person) -> list[SignUp]:
    """What the person is signed up for, from today: places and waiting lists."""
    if not access.may_see_person(fetched_by, person):
        raise NotFoundOrNotAllowed
    start = timezone.now() - timedelta(hours=3)
    rows = list(
        SignUp.objects.filter(
            person=person,
            status__in=(SignUp.Status.PLACE, SignUp.Status.WAITING),
            session__starts_at__gte=start,
            session__cancelled_at=None,
        )
        .select_related("session__event")
        .order_by("session__starts_at", "pk")[:10]
    )
    record_shown(actor=fetched_by, model=SignUp, objects=rows, about=person)
    return rows


def sessions_today(user: User) -> list[Session]:
    """Today's sessions in the services the user works in."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return list(
        _with_places(
            sessions_visible_to(user)
            .filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
            .select_related("event")
            .order_by("starts_at", "pk")
        )[:20]
    )


def feed_of(service: Service) -> EventFeed | None:
    return EventFeed.objects.filter(service=service).first()


def feed_sessions(*, feed: EventFeed) -> QuerySet[Session]:
    """What a service's feed holds: its sessions from a month ago to a year ahead. No
    one's name: events, times, venues and whether a session is cancelled."""
    now = timezone.now()
    return (
        Session.objects.filter(
            event__services=feed.service,
            starts_at__gte=now - timedelta(days=31),
            starts_at__lt=now + timedelta(days=366),
        )
        .select_related("event")
        .order_by("starts_at", "pk")
    )
