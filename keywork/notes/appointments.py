"""Writes for appointments and the calendar feed."""

import hashlib
import secrets
from datetime import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.notes.models import Appointment, CalendarFeed, FileNote
from keywork.notes.services import note_create
from keywork.people.models import Episode, Person

CONTACT_TYPE_FOR = {
    Appointment.Kind.KEY_WORK: FileNote.ContactType.KEY_WORK,
    Appointment.Kind.HOME_VISIT: FileNote.ContactType.HOME_VISIT,
    Appointment.Kind.FACE_TO_FACE: FileNote.ContactType.FACE_TO_FACE,
    Appointment.Kind.PHONE: FileNote.ContactType.PHONE,
    Appointment.Kind.OTHER: FileNote.ContactType.OTHER,
}


class BreaksAnAlert(ValidationError):
    """The appointment goes against an alert on how staff may meet the person."""


def alert_warnings(*, person: Person, kind: str, staff: list[User]) -> list[str]:
    """What in the planned appointment goes against the person's alerts."""
    from keywork.people.models import Alert

    warnings = []
    for alert in person.alerts.filter(ended_at=None).exclude(kind=Alert.Kind.GENERAL):
        if alert.kind in (Alert.Kind.NOT_ALONE, Alert.Kind.TWO_STAFF) and len(staff) < 2:
            warnings.append(
                f"{alert.get_kind_display()}: only one member of staff is going. {alert.text}"
            )
        if alert.kind == Alert.Kind.OFFICE_ONLY and kind == Appointment.Kind.HOME_VISIT:
            warnings.append(f"{alert.get_kind_display()}: this is a home visit. {alert.text}")
    return warnings


@transaction.atomic
def appointment_create(
    *,
    actor: User,
    person: Person,
    episode: Episode,
    kind: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    staff: list[User],
    alerts_read: bool = False,
) -> Appointment:
    """Plans an appointment. One that goes against an alert on how staff may meet the
    person is refused with the reasons until the user says they have read them."""
    access.check_or_404(actor, "people.record")
    if not access.may_see_person(actor, person):
        raise ValidationError("You cannot plan appointments with this person.")
    if episode.person_id != person.pk or episode.end_date is not None:
        raise ValidationError({"episode": "Choose one of this person's open episodes."})
    if starts_at < timezone.now() - timezone.timedelta(days=1):
        raise ValidationError({"starts_at": "Appointments are planned ahead: the date has passed."})
    if not staff:
        raise ValidationError({"staff": "Choose who from the staff will be there."})
    if any(u.organisation_id != actor.organisation_id for u in staff):
        raise ValidationError({"staff": "Choose staff from your organisation."})
    if not alerts_read and (warnings := alert_warnings(person=person, kind=kind, staff=staff)):
        raise BreaksAnAlert(warnings)
    appointment = Appointment(
        organisation_id=actor.organisation_id,
        person=person,
        episode=episode,
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


def appointment_set_status(*, actor: User, appointment: Appointment, status: str) -> Appointment:
    if appointment.file_note_id:
        raise ValidationError("A file note has been written for this appointment already.")
    if status not in Appointment.Status.values:
        raise ValidationError("Choose what happened.")
    appointment.status = status
    with set_actor(actor):
        appointment.save(update_fields=["status"])
    return appointment


@transaction.atomic
def appointment_write_note(
    *, actor: User, appointment: Appointment, subject: str, text: str
) -> FileNote:
    """Marks the appointment attended and writes its file note, in one step."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.file_note_id:
        raise ValidationError("A file note has been written for this appointment already.")
    if appointment.starts_at > timezone.now():
        raise ValidationError("The appointment has not happened yet.")
    note = note_create(
        actor=actor,
        person=appointment.person,
        episode=appointment.episode,
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


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_issue(*, actor: User, full_names: bool = False) -> str:
    """A new secret address for the worker's calendar; any earlier one stops working."""
    token = secrets.token_urlsafe(32)
    with set_actor(actor):
        CalendarFeed.objects.update_or_create(
            user=actor, defaults={"token_hash": _hash(token), "full_names": full_names}
        )
    return token


def calendar_feed_revoke(*, actor: User) -> None:
    with set_actor(actor):
        for feed in CalendarFeed.objects.filter(user=actor):
            feed.delete()


def calendar_feed_for(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token_hash=_hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )
