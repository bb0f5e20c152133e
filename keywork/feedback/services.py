"""Every change to a complaint: logging it, acknowledging and answering each stage,
extending a stage with the reason and the date agreed, and escalating to stage 2. Each
checks who may do it, refuses bad input on the field it concerns with nothing saved,
saves only over the version of the complaint the user opened, and is audited."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import check_version, save_checked
from keywork.feedback.models import Complaint, Point, Remedy, Stage
from keywork.feedback.permissions import may_handle_stage
from keywork.organisations.models import Service
from keywork.people.models import Person


@dataclass(frozen=True)
class PointAnswer:
    what: str
    outcome: str


@dataclass(frozen=True)
class RemedyGiven:
    kind: str
    details: str = ""
    amount: Decimal | None = None


def _locked(complaint: Complaint, opened_version: int) -> Complaint:
    current = Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
    check_version(current, opened_version, what="complaint")
    assert current is not None
    return current


def _bump(actor: User, complaint: Complaint) -> None:
    complaint.version += 1
    save_checked(actor, complaint, update_fields=["version"])


def _stage(complaint: Complaint, number: int) -> Stage | None:
    return complaint.stages.filter(number=number).first()


@transaction.atomic
def complaint_log(
    *,
    actor: User,
    service: Service,
    who: str,
    person: Person | None = None,
    complainant_name: str = "",
    consent_recorded_on: date | None = None,
    how: str,
    about: str,
    about_staff: User | None = None,
    summary: str,
    wanted: str,
    received_on: date,
    handler: User,
    straight_to_stage_2_reason: str = "",
) -> Complaint:
    """A complaint as received, and its first stage (stage 2 straight away only when the
    reason for it is recorded), with its handler."""
    if not access.check(actor, "people.work_in_service", service):
        raise NotFoundOrNotAllowed
    if person is not None and (
        person.organisation_id != actor.organisation_id or not access.may_see_person(actor, person)
    ):
        raise NotFoundOrNotAllowed
    errors: dict[str, str] = {}
    if who == Complaint.Who.PERSON and person is None:
        errors["person"] = "Choose the person supported who complained."
    if who == Complaint.Who.PERSON_ANONYMOUS and (person is not None or complainant_name):
        errors["complainant_name"] = "An anonymous complaint names no one: leave the name out."
    if who == Complaint.Who.FAMILY_OR_ADVOCATE:
        if person is None:
            errors["person"] = "Choose the person supported they complained for."
        if consent_recorded_on is None:
            errors["consent_recorded_on"] = (
                "Enter the date the person's consent for them to complain was recorded."
            )
    named = (Complaint.Who.FAMILY_OR_ADVOCATE, Complaint.Who.PUBLIC, Complaint.Who.PROFESSIONAL)
    if who in named and not complainant_name.strip():
        errors["complainant_name"] = "Enter the name of who complained."
    if about == Complaint.About.STAFF:
        if about_staff is None or about_staff.organisation_id != actor.organisation_id:
            errors["about_staff"] = "Choose the member of staff the complaint is about."
    elif about_staff is not None:
        errors["about_staff"] = "Name a member of staff only for a complaint about staff."
    if received_on > timezone.localdate():
        errors["received_on"] = "The date received must be today or in the past."
    if errors:
        raise ValidationError(errors)
    complaint = Complaint(
        organisation_id=actor.organisation_id,
        service=service,
        who=who,
        person=person,
        complainant_name=complainant_name.strip(),
        consent_recorded_on=consent_recorded_on,
        how=how,
        about=about,
        about_staff=about_staff,
        summary=summary,
        wanted=wanted,
        received_on=received_on,
        straight_to_stage_2_reason=straight_to_stage_2_reason.strip(),
        logged_by=actor,
    )
    save_checked(actor, complaint)
    number = Stage.Number.TWO if complaint.straight_to_stage_2_reason else Stage.Number.ONE
    refused = may_handle_stage(handler, complaint, number)
    if refused or handler.organisation_id != actor.organisation_id:
        raise ValidationError({"handler": refused or "Choose a manager of the service."})
    save_checked(
        actor,
        Stage(
            complaint=complaint,
            number=number,
            opened_on=received_on,
            escalation_reason=complaint.straight_to_stage_2_reason,
            handler=handler,
        ),
    )
    return complaint


def _open_stage(actor: User, complaint: Complaint, number: int, version: int) -> Stage:
    access.check_or_404(actor, "feedback.handle", complaint)
    stage = _stage(complaint, number)
    if stage is None:
        raise NotFoundOrNotAllowed
    _locked(complaint, version)
    stage.complaint = complaint
    if stage.responded_on:
        raise ValidationError("This stage has been answered: nothing more can be changed.")
    return stage


@transaction.atomic
def stage_acknowledge(
    *, actor: User, complaint: Complaint, number: int, acknowledged_on: date, version: int
) -> Stage:
    stage = _open_stage(actor, complaint, number, version)
    if acknowledged_on < stage.opened_on:
        raise ValidationError(
            {"acknowledged_on": "The acknowledgement cannot be before the stage started."}
        )
    if acknowledged_on > timezone.localdate():
        raise ValidationError({"acknowledged_on": "The date must be today or in the past."})
    stage.acknowledged_on = acknowledged_on
    save_checked(actor, stage)
    _bump(actor, complaint)
    return stage


@transaction.atomic
def stage_extend(
    *,
    actor: User,
    complaint: Complaint,
    number: int,
    extended_to: date | None,
    reason: str,
    version: int,
) -> Stage:
    stage = _open_stage(actor, complaint, number, version)
    errors = {}
    if not reason.strip():
        errors["reason"] = "Enter the reason for the extension, as given to the complainant."
    if extended_to is None:
        errors["extended_to"] = "Enter the new date agreed for the answer."
    elif extended_to <= stage.answer_by:
        errors["extended_to"] = f"The new date must be after {stage.answer_by:%d/%m/%Y}."
    if errors:
        raise ValidationError(errors)
    stage.extended_to, stage.extension_reason = extended_to, reason.strip()
    save_checked(actor, stage)
    _bump(actor, complaint)
    return stage


@transaction.atomic
def stage_respond(
    *,
    actor: User,
    complaint: Complaint,
    number: int,
    responded_on: date,
    decision: str,
    still_to_do: str = "",
    learning: str = "",
    points: list[PointAnswer],
    remedies: list[RemedyGiven],
    version: int,
) -> Stage:
    """The stage's answer: the decision and reasons, an outcome for each point, any
    remedy, what is still to be done and what the service learnt."""
    stage = _open_stage(actor, complaint, number, version)
    errors: dict[str, str] = {}
    if stage.acknowledged_on is None:
        errors["responded_on"] = "Record the acknowledgement before the answer."
    elif responded_on < stage.acknowledged_on:
        errors["responded_on"] = (
            f"The answer cannot be before the acknowledgement ({stage.acknowledged_on:%d/%m/%Y})."
        )
    elif responded_on > timezone.localdate():
        errors["responded_on"] = "The date must be today or in the past."
    if not decision.strip():
        errors["decision"] = "Enter the decision and the reasons for it."
    if not points:
        errors["points"] = "Enter at least one point of the complaint with its outcome."
    for remedy in remedies:
        if remedy.kind == Remedy.Kind.PAYMENT and not (remedy.amount and remedy.amount > 0):
            errors["remedies"] = "Enter the amount of the payment."
    if errors:
        raise ValidationError(errors)
    stage.responded_on = responded_on
    stage.decision, stage.still_to_do, stage.learning = (
        decision.strip(),
        still_to_do.strip(),
        learning.strip(),
    )
    save_checked(actor, stage)
    for point in points:
        save_checked(actor, Point(stage=stage, what=point.what, outcome=point.outcome))
    for remedy in remedies:
        save_checked(
            actor,
            Remedy(stage=stage, kind=remedy.kind, details=remedy.details, amount=remedy.amount),
        )
    _bump(actor, complaint)
    return stage


@transaction.atomic
def complaint_escalate(
    *, actor: User, complaint: Complaint, asked_on: date, reason: str, handler: User, version: int
) -> Stage:
    """The complainant is not satisfied with the stage 1 answer: stage 2, with someone
    other than the stage 1 handler."""
    access.check_or_404(actor, "feedback.handle", complaint)
    _locked(complaint, version)
    first = _stage(complaint, Stage.Number.ONE)
    errors: dict[str, str] = {}
    if _stage(complaint, Stage.Number.TWO) is not None:
        raise ValidationError("This complaint is already at stage 2.")
    if first is None or first.responded_on is None:
        raise ValidationError("Stage 1 must be answered before stage 2.")
    if asked_on < first.responded_on:
        errors["asked_on"] = "The request to escalate cannot be before the stage 1 answer."
    elif asked_on > timezone.localdate():
        errors["asked_on"] = "The date must be today or in the past."
    if not reason.strip():
        errors["reason"] = "Enter why the complainant is not satisfied."
    refused = may_handle_stage(handler, complaint, Stage.Number.TWO)
    if refused or handler.organisation_id != actor.organisation_id:
        errors["handler"] = refused or "Choose a manager of the service."
    if errors:
        raise ValidationError(errors)
    stage = Stage(
        complaint=complaint,
        number=Stage.Number.TWO,
        opened_on=asked_on,
        escalation_reason=reason.strip(),
        handler=handler,
    )
    save_checked(actor, stage)
    _bump(actor, complaint)
    return stage
