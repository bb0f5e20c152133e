"""Writes for involvement: a session and who took part, the actions that followed with
their owners and due dates, and "you said, we did". Each checks the actor against the
service, validates before it writes and writes in one transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import save_checked
from keywork.involvement.models import (
    InvolvementAction,
    InvolvementSession,
    Participation,
    YouSaidWeDid,
)
from keywork.organisations.models import Service
from keywork.people.models import Episode, Person


@transaction.atomic
def session_record(
    *, actor: User, service: Service, kind: str, title: str, held_on: date, decided: str = ""
) -> InvolvementSession:
    access.check_or_404(actor, "involvement.run", service)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Record a session once it has been held."})
    return save_checked(
        actor,
        InvolvementSession(
            organisation_id=service.organisation_id,
            service=service,
            kind=kind,
            title=title.strip(),
            held_on=held_on,
            decided=decided.strip(),
            created_by=actor,
        ),
    )


@transaction.atomic
def participant_add(
    *, actor: User, session: InvolvementSession, person: Person, role: str
) -> Participation:
    """Someone the service supported on the day, whom the actor may see, took part."""
    access.check_or_404(actor, "involvement.run", session.service)
    if not access.may_see_person(actor, person):
        raise NotFoundOrNotAllowed
    supported = (
        Episode.objects.filter(
            person=person, service_id=session.service_id, start_date__lte=session.held_on
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=session.held_on))
        .exists()
    )
    if not supported:
        raise ValidationError(
            {"person": f"{person} was not supported by {session.service.name} on that day."}
        )
    if Participation.objects.filter(session=session, person=person).exists():
        raise ValidationError({"person": f"{person} is already down as taking part."})
    return save_checked(
        actor, Participation(session=session, person=person, role=role, added_by=actor)
    )


@transaction.atomic
def involvement_action_add(
    *, actor: User, session: InvolvementSession, what: str, owner: User, due_on: date
) -> InvolvementAction:
    access.check_or_404(actor, "involvement.run", session.service)
    if (
        owner.organisation_id != session.organisation_id
        or not owner.is_active
        or not access.check(owner, "involvement.run", session.service)
    ):
        raise ValidationError({"owner": f"Choose someone who works in {session.service.name}."})
    if due_on < session.held_on:
        raise ValidationError(
            {"due_on": f"The due date cannot be before the session ({session.held_on:%d/%m/%Y})."}
        )
    return save_checked(
        actor,
        InvolvementAction(
            session=session, what=what.strip(), owner=owner, due_on=due_on, created_by=actor
        ),
    )


@transaction.atomic
def involvement_action_done(
    *, actor: User, action: InvolvementAction, done_on: date
) -> InvolvementAction:
    access.check_or_404(actor, "involvement.run", action.session.service)
    action = (
        InvolvementAction.objects.select_for_update().select_related("session").get(pk=action.pk)
    )
    if action.done_on is not None:
        raise ValidationError(f"This was marked done on {action.done_on:%d/%m/%Y}.")
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date done cannot be in the future."})
    if done_on < action.session.held_on:
        raise ValidationError({"done_on": "The date done cannot be before the session."})
    action.done_on = done_on
    return save_checked(actor, action)


@transaction.atomic
def said_did_add(
    *, actor: User, session: InvolvementSession, you_said: str, we_did: str
) -> YouSaidWeDid:
    access.check_or_404(actor, "involvement.run", session.service)
    return save_checked(
        actor,
        YouSaidWeDid(
            session=session, you_said=you_said.strip(), we_did=we_did.strip(), created_by=actor
        ),
    )
