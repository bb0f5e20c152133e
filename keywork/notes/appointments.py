"""Writes for appointments and the calendar feed, and the reads that decide whom an
appointment may name and what a feed may hold."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import save_checked
from keywork.notes import selectors
from keywork.notes.models import Appointment, CalendarFeed, FileNote
from keywork.notes.services import check_belongs_to, clean_text, note_create
from keywork.people.models import Episode, Person, Referral

CONTACT_TYPE_FOR = {
    Appointment.Kind.KEY_WORK: FileNote.ContactType.KEY_WORK,
    Appointment.Kind.HOME_VISIT: FileNote.ContactType.HOME_VISIT,
    Appointment.Kind.FACE_TO_FACE: FileNote.ContactType.FACE_TO_FACE,
    Appointment.Kind.PHONE: FileNote.ContactType.PHONE,
    Appointment.Kind.OTHER: FileNote.ContactType.OTHER,
}


class BreaksAnAlert(ValidationError):
    """The appointment goes against an alert on how staff may meet the person."""


class ClashesWithAnother(ValidationError):
    """The worker already has another appointment at that time: said before it is
    saved, and saved once they say it is what they mean."""


def _clash_check(
    actor: User, *, starts_at: datetime, duration_minutes: int, leaving_out: int | None = None
) -> None:
    clashes = clashes_for(
        actor, starts_at=starts_at, duration_minutes=duration_minutes, leaving_out=leaving_out
    )
    if clashes:
        times = ", ".join(f"{timezone.localtime(c.starts_at):%H:%M}" for c in clashes)
        raise ClashesWithAnother(
            f"You already have {len(clashes)} other appointment"
            f"{'s' if len(clashes) != 1 else ''} at that time ({times}). Tick the box to "
            "keep this time anyway, or choose another."
        )


def alert_warnings(*, person: Person, kind: str, staff: list[User]) -> list[str]:
    """What in the planned appointment goes against the person's alerts."""
    from keywork.people.models import Alert

    warnings = []
    for alert in person.alerts.filter(ended_at=None).exclude(kind=Alert.Kind.GENERAL):
        if alert.kind in (Alert.Kind.NOT_ALONE, Alert.Kind.TWO_STAFF) and len(staff) < 2:
            warnings.append(
                f"{alert.get_kind_display()}: only one member of staff is going."
                + _more_than_its_kind(alert)
            )
        if alert.kind == Alert.Kind.OFFICE_ONLY and kind == Appointment.Kind.HOME_VISIT:
            warnings.append(
                f"{alert.get_kind_display()}: this is a home visit." + _more_than_its_kind(alert)
            )
    return warnings


def _more_than_its_kind(alert) -> str:
    """The alert's own words, unless they only say its kind again ("Do not visit alone:
    ... Do not visit alone")."""
    text = (alert.text or "").strip()
    if text.rstrip(".!").casefold() == alert.get_kind_display().casefold():
        return ""
    return f" {text}" if text else ""


@transaction.atomic
def appointment_create(
    *,
    actor: User,
    person: Person,
    episode: Episode | None = None,
    referral: Referral | None = None,
    kind: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    staff: list[User],
    alerts_read: bool = False,
    clash_ok: bool = False,
) -> Appointment:
    """Plans an appointment. One that goes against an alert on how staff may meet the
    person is refused with the reasons until the user says they have read them. Only
    staff who may see the person are named: their calendars will carry the person's name
    and the place. It belongs to an open episode, or to an open referral before support
    starts (give one of `episode` and `referral`)."""
    access.check_can_record_on(actor, person)
    check_belongs_to(person=person, episode=episode, referral=referral, open_only=True)
    if starts_at < timezone.now() - timezone.timedelta(days=1):
        raise ValidationError({"starts_at": "Appointments are planned ahead: the date has passed."})
    if not staff:
        raise ValidationError({"staff": "Choose who from the staff will be there."})
    if any(u.organisation_id != actor.organisation_id for u in staff):
        raise ValidationError({"staff": "Choose staff from your organisation."})
    for user in staff:
        if not access.may_see_person(user, person):
            raise ValidationError(
                {
                    "staff": f"{user.full_name} cannot see this person's record, so cannot be "
                    "named on this appointment."
                }
            )
    if not alerts_read and (warnings := alert_warnings(person=person, kind=kind, staff=staff)):
        raise BreaksAnAlert(warnings)
    if not clash_ok and actor in staff:
        _clash_check(actor, starts_at=starts_at, duration_minutes=duration_minutes)
    appointment = Appointment(
        organisation_id=actor.organisation_id,
        person=person,
        episode=episode,
        referral=referral,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        created_by=actor,
    )
    appointment.full_clean()
    with set_actor(actor):
        appointment.save()
        appointment.staff.set(staff)
    return appointment


@transaction.atomic
def appointment_set_status(*, actor: User, appointment: Appointment, status: str) -> Appointment:
    """Says whether it happened. Cancelling is appointment_cancel, with its reason."""
    appointment = _locked(actor, appointment)
    if appointment.file_note_id:
        raise ValidationError("A file note has been written for this appointment already.")
    if status not in (Appointment.Status.ATTENDED, Appointment.Status.DID_NOT_ATTEND):
        raise ValidationError("Choose what happened.")
    if appointment.starts_at > timezone.now():
        raise ValidationError("The appointment has not happened yet.")
    appointment.status = status
    with set_actor(actor):
        appointment.save(update_fields=["status"])
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment, reason: str) -> Appointment:
    """Calls the appointment off, saying why; it leaves the calendars of those going."""
    appointment = _locked(actor, appointment)
    if appointment.file_note_id or appointment.status != Appointment.Status.PLANNED:
        raise ValidationError("Only a planned appointment can be cancelled.")
    if not clean_text(reason):
        raise ValidationError({"reason": "Say why the appointment is cancelled."})
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancel_reason = clean_text(reason)[:300]
    save_checked(actor, appointment, update_fields=["status", "cancel_reason"])
    return appointment


@transaction.atomic
def appointment_change(
    *,
    actor: User,
    appointment: Appointment,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    clash_ok: bool = False,
) -> Appointment:
    """Moves a planned appointment to another time or place."""
    appointment = _locked(actor, appointment)
    if appointment.file_note_id or appointment.status != Appointment.Status.PLANNED:
        raise ValidationError("Only a planned appointment can be changed.")
    if starts_at < timezone.now() - timedelta(days=1):
        raise ValidationError({"day": "Appointments are planned ahead: the date has passed."})
    if not clash_ok and appointment.staff.filter(pk=actor.pk).exists():
        _clash_check(
            actor,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            leaving_out=appointment.pk,
        )
    appointment.starts_at = starts_at
    appointment.duration_minutes = duration_minutes
    appointment.place = place.strip()
    save_checked(actor, appointment, update_fields=["starts_at", "duration_minutes", "place"])
    return appointment


def clashes_for(
    user: User, *, starts_at: datetime, duration_minutes: int, leaving_out: int | None = None
) -> list[Appointment]:
    """The user's other planned appointments that overlap this time, to warn of."""
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    around = Appointment.objects.filter(
        organisation_id=user.organisation_id,
        staff=user,
        status=Appointment.Status.PLANNED,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - timedelta(hours=24),
    ).exclude(pk=leaving_out)
    return [a for a in around.order_by("starts_at") if a.ends_at > starts_at]


@transaction.atomic
def appointment_write_note(
    *, actor: User, appointment: Appointment, subject: str, text: str
) -> FileNote:
    """Marks the appointment attended and writes its file note, in one step."""
    appointment = _locked(actor, appointment)
    if appointment.file_note_id:
        raise ValidationError("A file note has been written for this appointment already.")
    if appointment.starts_at > timezone.now():
        raise ValidationError("The appointment has not happened yet.")
    episode, referral = appointment.episode, appointment.referral
    if referral is not None and (started := Episode.objects.filter(referral=referral).first()):
        # Support started from the referral since the appointment was planned: the note
        # goes on the episode, as every note written once support has started.
        episode, referral = started, None
    note = note_create(
        actor=actor,
        person=appointment.person,
        episode=episode,
        referral=referral,
        contact_type=CONTACT_TYPE_FOR[appointment.kind],
        contact_at=appointment.starts_at,
        duration_minutes=appointment.duration_minutes,
        place=appointment.place,
        staff_present=[u for u in appointment.staff.all() if u.pk != actor.pk],
        subject=subject,
        text=text,
    )
    appointment.status = Appointment.Status.ATTENDED
    appointment.file_note = note
    with set_actor(actor):
        appointment.save(update_fields=["status", "file_note"])
    return note


def _locked(actor: User, appointment: Appointment) -> Appointment:
    """The appointment as it is now, locked until the transaction ends, once the actor is
    known to be allowed to record on its person."""
    locked = (
        # Not the episode or the referral: one of the two is always missing, and PostgreSQL
        # locks no row on the missing side of a join.
        Appointment.objects.select_for_update(of=("self", "person"))
        .filter(pk=appointment.pk, organisation_id=actor.organisation_id)
        .select_related("person", "episode", "referral")
        .first()
    )
    if locked is None:
        raise NotFoundOrNotAllowed
    access.check_can_record_on(actor, locked.person)
    return locked


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, actor: User, full_names: bool = False) -> str:
    """A new secret address for the worker's calendar; any earlier one stops working."""
    access.require(actor, access.Capability.CASEWORK)
    token = secrets.token_urlsafe(32)
    with set_actor(actor):
        CalendarFeed.objects.update_or_create(
            user=actor, defaults={"token_hash": _hash(token), "full_names": full_names}
        )
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> None:
    """Anyone may stop their own feed, even once they no longer do casework."""
    with set_actor(actor):
        for feed in CalendarFeed.objects.filter(user=actor):
            feed.delete()


def calendar_feed_for(*, token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token_hash=_hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )


def calendar_feed_appointments(*, feed: CalendarFeed) -> QuerySet[Appointment]:
    """What the feed holds: its owner's appointments with the people they may see now,
    asked in one query for them all. Being named on an appointment is not enough: staff
    named before they could not see the person, or moved off the team since, get no
    name or address from it."""
    user = feed.user
    return selectors.calendar_appointments(user).filter(person__in=access.people_visible_to(user))
