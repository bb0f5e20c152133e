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
from keywork.core.saving import check_version, save_checked
from keywork.involvement.models import (
    InvolvementAction,
    InvolvementSession,
    Participation,
    YouSaidWeDid,
)
from keywork.organisations.models import Service
from keywork.people.models import Episode, Person

HELD_LATER = "Record a session once it has been held."


@transaction.atomic
def session_record(
    *,
    actor: User,
    service: Service,
    kind: str,
    title: str,
    held_on: date,
    decided: str = "",
    notes: str = "",
) -> InvolvementSession:
    access.check_or_404(actor, "involvement.run", service)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": HELD_LATER})
    return save_checked(
        actor,
        InvolvementSession(
            organisation_id=service.organisation_id,
            service=service,
            kind=kind,
            title=title.strip(),
            held_on=held_on,
            decided=decided.strip(),
            notes=notes.strip(),
            created_by=actor,
        ),
    )


def _supported_on(session: InvolvementSession, held_on: date) -> Q:
    """People with support from the session's service on that day."""
    return Q(
        pk__in=Episode.objects.filter(service_id=session.service_id, start_date__lte=held_on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=held_on))
        .values("person_id")
    )


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: InvolvementSession,
    version: int,
    kind: str,
    title: str,
    held_on: date,
    decided: str = "",
    notes: str = "",
) -> InvolvementSession:
    """Corrects a session once written. Saves only over the version the form was opened
    on (else ChangedSinceOpened, nothing saved); its service stays, and a new date must
    still fit who took part (supported by the service that day) and the actions (none
    due or done before it)."""
    access.check_or_404(actor, "involvement.run", session.service)
    current = InvolvementSession.objects.select_for_update().get(pk=session.pk)
    check_version(current, version, what="session")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": HELD_LATER})
    problems = _date_problems(actor, current, held_on) if held_on != current.held_on else []
    if problems:
        raise ValidationError({"held_on": problems})
    current.kind = kind
    current.title = title.strip()
    current.held_on = held_on
    current.decided = decided.strip()
    current.notes = notes.strip()
    current.version += 1  # the row is locked, so no one else moves it meanwhile
    return save_checked(actor, current)


def _date_problems(actor: User, session: InvolvementSession, held_on: date) -> list[str]:
    name = session.service.name
    problems = []
    unsupported = Participation.objects.filter(session=session, removed_at=None).exclude(
        person__in=Person.objects.filter(_supported_on(session, held_on))
    )
    # Only those the actor may see are named. Someone they may not see still stops the
    # change (the rule holds for everyone), said without a name or a number.
    named = list(
        unsupported.filter(person__in=access.people_visible_to(actor))
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    for part in named:
        problems.append(
            f"{part.person} was not supported by {name} on that day: remove them from "
            "who took part first, or keep the date."
        )
    if not named and unsupported.exists():
        problems.append(f"Not everyone who took part was supported by {name} on that day.")
    early = InvolvementAction.objects.filter(session=session).filter(
        Q(due_on__lt=held_on) | Q(done_on__lt=held_on)
    )
    for action in early:
        when = action.done_on if action.done_on and action.done_on < held_on else action.due_on
        word = "done" if when == action.done_on else "due"
        problems.append(f"The action '{action.what}' was {word} on {when:%d/%m/%Y}, before that.")
    return problems


@transaction.atomic
def participant_add(
    *, actor: User, session: InvolvementSession, person: Person, role: str
) -> Participation:
    """Someone the service supported on the day, whom the actor may see, took part."""
    access.check_or_404(actor, "involvement.run", session.service)
    if not access.may_see_person(actor, person):
        raise NotFoundOrNotAllowed
    supported = Person.objects.filter(_supported_on(session, session.held_on), pk=person.pk)
    if not supported.exists():
        raise ValidationError(
            {"person": f"{person} was not supported by {session.service.name} on that day."}
        )
    earlier = Participation.objects.select_for_update().filter(session=session, person=person)
    row = earlier.first()
    if row is not None and row.removed_at is None:
        raise ValidationError({"person": f"{person} is already down as taking part."})
    if row is not None:
        # Taken off in error before: the same row is put back, its history in the audit.
        row.role, row.added_by, row.removed_at, row.removed_by = role, actor, None, None
        return save_checked(actor, row)
    return save_checked(
        actor, Participation(session=session, person=person, role=role, added_by=actor)
    )


@transaction.atomic
def participant_remove(*, actor: User, participation: Participation) -> Participation:
    """Takes off someone added in error. The row stays, marked removed by whom and when
    (and audited): it no longer shows on the session, the person's timeline or the
    figures."""
    session = participation.session
    access.check_or_404(actor, "involvement.run", session.service)
    if not access.may_see_person(actor, participation.person):
        raise NotFoundOrNotAllowed
    row = Participation.objects.select_for_update().get(pk=participation.pk)
    if row.removed_at is not None:
        raise ValidationError(f"{row.person} was already taken off who took part.")
    row.removed_at, row.removed_by = timezone.now(), actor
    return save_checked(actor, row)


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
