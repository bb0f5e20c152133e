"""Writes for an organisation's set-up: areas, services and teams. Only its
administrators make them; every change is audited."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.organisations.models import Area, Service, Team


def _save(actor: User, obj: Area | Service | Team, duplicate_message: str) -> None:
    obj.full_clean()
    # A savepoint of its own, so that the caller's transaction survives a duplicate name.
    try:
        with transaction.atomic(), set_actor(actor):
            obj.save()
    except IntegrityError as error:
        # Two administrators saving the same name at once: the database decides.
        raise ValidationError({"name": duplicate_message}) from error


def _check_same_organisation(actor: User, *related: Area | Service | None) -> None:
    for obj in related:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValidationError("That choice is not part of your organisation.")


@transaction.atomic
def area_save(*, actor: User, area: Area | None = None, name: str, kind: str) -> Area:
    area = area or Area(organisation=actor.organisation)
    access.check_or_404(actor, "organisations.manage", area)
    area.name, area.kind = name, kind
    _save(actor, area, "Your organisation already has an area with this name.")
    return area


@transaction.atomic
def service_save(
    *,
    actor: User,
    service: Service | None = None,
    name: str,
    type: str,
    area: Area,
    commissioner: str = "",
    note_interval_days: int,
    plan_review_weeks: int,
    risk_review_weeks: int,
) -> Service:
    service = service or Service(organisation=actor.organisation)
    access.check_or_404(actor, "organisations.manage", service)
    _check_same_organisation(actor, area)
    service.name, service.type, service.area = name, type, area
    service.commissioner = commissioner
    service.note_interval_days = note_interval_days
    service.plan_review_weeks = plan_review_weeks
    service.risk_review_weeks = risk_review_weeks
    _save(actor, service, "Your organisation already has a service with this name.")
    return service


@transaction.atomic
def team_save(
    *, actor: User, team: Team | None = None, name: str, services: Iterable[Service]
) -> Team:
    team = team or Team(organisation=actor.organisation)
    access.check_or_404(actor, "organisations.manage", team)
    services = list(services)
    _check_same_organisation(actor, *services)
    if not services:
        raise ValidationError({"services": "Choose at least one service this team works in."})
    team.name = name
    _save(actor, team, "Your organisation already has a team with this name.")
    with set_actor(actor):
        team.services.set(services)
    return team


@transaction.atomic
def _archive(actor: User, obj: Service | Team, archive: bool) -> None:
    access.check_or_404(actor, "organisations.manage", obj)
    obj.archived_at = timezone.now() if archive else None
    with set_actor(actor):
        obj.save(update_fields=["archived_at"])


def service_archive(*, actor: User, service: Service, archive: bool = True) -> None:
    _archive(actor, service, archive)


def team_archive(*, actor: User, team: Team, archive: bool = True) -> None:
    _archive(actor, team, archive)
