"""Reads for involvement: the sessions of the services the reader works in, the people
in them whom the reader may see, and the service's figures per quarter."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_shown
from keywork.involvement.models import (
    InvolvementAction,
    InvolvementSession,
    Participation,
    YouSaidWeDid,
)
from keywork.organisations.models import Service
from keywork.people.models import Person


def services_for_involvement(user: User) -> QuerySet[Service]:
    return access.services_for_casework(user)


def sessions_visible_to(user: User) -> QuerySet[InvolvementSession]:
    sessions = access.scoped_to_organisation(user, InvolvementSession.objects.all())
    return sessions.filter(service__in=services_for_involvement(user))


def session_list(
    *, fetched_by: User, service: Service | None = None
) -> QuerySet[InvolvementSession]:
    sessions = sessions_visible_to(fetched_by).select_related("service")
    return sessions.filter(service=service) if service is not None else sessions


def session_or_404(*, fetched_by: User, session_id: int) -> InvolvementSession:
    return access.get_visible_or_404(
        sessions_visible_to(fetched_by).select_related("service", "created_by"), pk=session_id
    )


def participants_of(*, fetched_by: User, session: InvolvementSession) -> list[Participation]:
    """Those who took part whom the reader may see: the others are not shown or counted."""
    shown = list(
        Participation.objects.filter(
            session=session, removed_at=None, person__in=access.people_visible_to(fetched_by)
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    # The page names each of them: its read lists the rows and the people shown.
    record_shown(actor=fetched_by, model=Participation, objects=shown)
    record_shown(actor=fetched_by, model=Person, objects=[p.person for p in shown])
    return shown


def actions_of(session: InvolvementSession) -> list[InvolvementAction]:
    return list(InvolvementAction.objects.filter(session=session).select_related("owner"))


def said_did_of(session: InvolvementSession) -> list[YouSaidWeDid]:
    return list(YouSaidWeDid.objects.filter(session=session))


def participation_or_404(*, fetched_by: User, participation_id: int) -> Participation:
    """Someone down as taking part (not taken off), in a session the reader's services
    ran, whom the reader may see."""
    return access.get_visible_or_404(
        Participation.objects.filter(
            session__in=sessions_visible_to(fetched_by),
            removed_at=None,
            person__in=access.people_visible_to(fetched_by),
        ).select_related("person", "session__service"),
        pk=participation_id,
    )


def open_actions_of(user: User, *, limit: int = 20) -> list[InvolvementAction]:
    """The open involvement actions the user owns, soonest due first: only those of the
    sessions they may open (an owner who has left the service's team no longer sees
    them; its other staff do, on the session)."""
    return list(
        InvolvementAction.objects.filter(
            owner=user, done_on=None, session__in=sessions_visible_to(user)
        )
        .select_related("session")
        .order_by("due_on", "pk")[:limit]
    )


def action_or_404(*, fetched_by: User, action_id: int) -> InvolvementAction:
    return access.get_visible_or_404(
        InvolvementAction.objects.filter(
            session__in=sessions_visible_to(fetched_by)
        ).select_related("session__service"),
        pk=action_id,
    )


def said_did_for_service(service: Service) -> list[YouSaidWeDid]:
    """What residents said and what the service did, to show back to them: no names."""
    return list(
        YouSaidWeDid.objects.filter(session__service=service)
        .select_related("session")
        .order_by("-session__held_on", "-pk")[:100]
    )


def services_for_figures(user: User) -> QuerySet[Service]:
    """Figures without personal data: for those who see a service's reports (its lead
    managers, its commissioners) and for the casework staff of the service."""
    return access.services_for_reports(user) | access.services_for_casework(user)


def people_counted_for(user: User, service: Service) -> bool:
    """Whether the reader is shown how many people took part.

    Sessions held and actions done are the service's own records, which all its staff
    see. A count of people is different: it takes in everyone who took part, and a worker
    sees a person only while their team's services support them (and for a while after),
    so their count could take in someone they may not see, and comparing quarters could
    tell them of that person. The count is shown only to those whose reach covers
    everyone the service has supported: those who see its reports (figures with no
    personal data are their work), and casework roles of service-wide scope, whom the
    access module lets see everyone their services ever supported
    (access.people_visible_to drops its recent-support cut-off at that scope). Everyone
    counted took part while supported by the service (services.participant_add), so that
    reach takes them all in."""
    if service.organisation_id != user.organisation_id:
        return False
    if access.has_capability(user, access.Capability.AGGREGATE_REPORTS):
        reported = access.service_ids_in_scope(user, access.Capability.AGGREGATE_REPORTS)
        if reported is None or service.pk in reported:
            return True
    return access.scope_of(user, access.Capability.CASEWORK) >= access.Scope.SERVICE and bool(
        access.works_in_service(user, service)
    )


@dataclass(frozen=True)
class Quarter:
    first: date  # its first day
    after: date  # the day after its last
    sessions: int
    people: int
    actions_done: int

    @property
    def label(self) -> str:
        return quarter_label(self.first)


def quarter_label(first: date) -> str:
    """ "July to September 2026" for the quarter starting 1 July 2026."""
    months = {1: "January to March", 4: "April to June", 7: "July to September"}
    return f"{months.get(first.month, 'October to December')} {first.year}"


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(first: date) -> date:
    month = first.month + 3
    return date(first.year + (month > 12), (month - 1) % 12 + 1, 1)


def _previous_quarter(first: date) -> date:
    month = first.month - 3
    return date(first.year - (month < 1), (month - 1) % 12 + 1, 1)


def quarter_of(day: date) -> date:
    """The first day of the quarter `day` falls in."""
    return _quarter_start(day)


def quarter_after(first: date) -> date:
    return _next_quarter(first)


def quarter_before(first: date) -> date:
    return _previous_quarter(first)


def figures(
    service: Service, quarters: int = 4, today: date | None = None, *, last: date | None = None
) -> list[Quarter]:
    """Sessions held, people involved (each counted once a quarter) and actions done in
    each of `quarters` quarters, the one starting `last` (else today's) first, then the
    ones before it: counted from the records."""
    first = last or _quarter_start(today or timezone.localdate())
    shown = []
    for _ in range(quarters):
        after = _next_quarter(first)
        held = InvolvementSession.objects.filter(
            service=service, held_on__gte=first, held_on__lt=after
        )
        shown.append(
            Quarter(
                first,
                after,
                sessions=held.count(),
                people=Participation.objects.filter(session__in=held, removed_at=None)
                .values("person_id")
                .distinct()
                .count(),
                actions_done=InvolvementAction.objects.filter(
                    session__service=service, done_on__gte=first, done_on__lt=after
                ).count(),
            )
        )
        first = _previous_quarter(first)
    return shown
