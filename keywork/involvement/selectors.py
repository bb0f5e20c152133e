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
            session=session, person__in=access.people_visible_to(fetched_by)
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    record_shown(actor=fetched_by, model=Participation, objects=shown)
    return shown


def actions_of(session: InvolvementSession) -> list[InvolvementAction]:
    return list(InvolvementAction.objects.filter(session=session).select_related("owner"))


def said_did_of(session: InvolvementSession) -> list[YouSaidWeDid]:
    return list(YouSaidWeDid.objects.filter(session=session))


def open_actions_of(user: User) -> list[InvolvementAction]:
    """The open involvement actions the user owns, soonest due first."""
    return list(
        InvolvementAction.objects.filter(
            owner=user, done_on=None, session__organisation_id=user.organisation_id
        )
        .select_related("session")
        .order_by("due_on", "pk")[:20]
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
    """Figures without personal data: for those who see a service's reports."""
    return access.services_for_reports(user)


@dataclass(frozen=True)
class Quarter:
    first: date  # its first day
    after: date  # the day after its last
    sessions: int
    people: int
    actions_done: int

    @property
    def label(self) -> str:
        months = {1: "January to March", 4: "April to June", 7: "July to September"}
        return f"{months.get(self.first.month, 'October to December')} {self.first.year}"


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(first: date) -> date:
    month = first.month + 3
    return date(first.year + (month > 12), (month - 1) % 12 + 1, 1)


def _previous_quarter(first: date) -> date:
    month = first.month - 3
    return date(first.year - (month < 1), (month - 1) % 12 + 1, 1)


def figures(service: Service, quarters: int = 4, today: date | None = None) -> list[Quarter]:
    """Sessions held, people involved (each counted once a quarter) and actions done in
    each of the last `quarters` quarters, this one first: counted from the records."""
    first = _quarter_start(today or timezone.localdate())
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
                people=Participation.objects.filter(session__in=held)
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
