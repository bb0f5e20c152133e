"""Every write about people, referrals, episodes and caseloads. Each function checks
permission, validates, runs in one transaction and leaves its audit row."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict, Unpack, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field, Manager, Model
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Role, User
from keywork.core.auditing import set_actor
from keywork.core.contributions import contributed
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import ChangedSinceOpened, save_checked
from keywork.core.services import notify, notify_many
from keywork.organisations.models import Service
from keywork.people import identifiers
from keywork.people.matching import Candidate, candidate_keys_for, fold
from keywork.people.models import (
    Agency,
    Alert,
    BreakGlassAccess,
    Consent,
    EmergencyContact,
    Episode,
    EpisodeWorker,
    Person,
    PersonIdentifier,
    PossibleDuplicate,
    Professional,
    Referral,
    SupportNeed,
)

KEY_WORKER_ROLES = frozenset(
    {Role.SUPPORT_WORKER, Role.SENIOR_PRACTITIONER, Role.COMPLEX_CASEWORKER, Role.LEAD_MANAGER}
)
CO_WORKER_ROLES = KEY_WORKER_ROLES | {Role.SUPPORT_ASSISTANT}


PERSON_FIELDS = (
    "first_name",
    "middle_names",
    "last_name",
    "preferred_name",
    "previous_names",
    "pronouns",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "postcode",
    "address_confidential",
    "ni_number",
    "nhs_number",
    "gender",
    "ethnicity",
    "religion",
    "sexual_orientation",
    "disability",
)


class PersonDetails(TypedDict, total=False):
    """What a person's record form holds: PERSON_FIELDS, typed."""

    first_name: str
    middle_names: str
    last_name: str
    preferred_name: str
    previous_names: str
    pronouns: str
    date_of_birth: date | None
    phone: str
    email: str
    address: str
    postcode: str
    address_confidential: bool
    ni_number: str
    nhs_number: str
    gender: str
    ethnicity: str
    religion: str
    sexual_orientation: str
    disability: str


RECORD_CHANGED = (
    "Someone else saved this record after you opened it. Your changes are below and have "
    "not been saved: compare them with the record as it is now, then save again."
)

EQUALITY_FIELDS = ("gender", "ethnicity", "religion", "sexual_orientation", "disability")


def candidate_from(person: Person, with_identifiers: bool = True) -> Candidate:
    """The person as the duplicate matcher sees them."""
    ids = set()
    if with_identifiers:
        if person.ni_number:
            ids.add(f"NI:{person.ni_number}")
        if person.nhs_number:
            ids.add(f"NHS:{person.nhs_number}")
        ids |= {f"{i.kind.upper()}:{i.value.upper()}" for i in person.identifiers.all()}
    other_names = [person.preferred_name] if person.preferred_name else []
    other_names += [n.strip() for n in person.previous_names.split(",") if n.strip()]
    return Candidate(
        id=person.pk or 0,
        first_name=person.first_name,
        last_name=person.last_name,
        other_names=tuple(other_names),
        date_of_birth=person.date_of_birth,
        birth_year=person.estimated_birth_year,
        identifiers=frozenset(ids),
    )


# --- The person's record ---------------------------------------------------------------


# The checks of a person's details that every way in (the form, an import) makes: one
# place, so that a record brought in from a spreadsheet meets the same rules as one typed.
DATE_OF_BIRTH_MESSAGES = {
    "future": "The date of birth must be in the past.",
    "too old": "Check the year: that would make them over 120.",
}
IDENTIFIER_FIELDS = {
    "ni_number": (identifiers.normalise_ni_number, identifiers.validate_ni_number),
    "nhs_number": (identifiers.normalise_nhs_number, identifiers.validate_nhs_number),
}


def date_of_birth_problem(dob: date, today: date) -> str | None:
    """ "future" or "too old" (over 120), or None for a date of birth that can be right."""
    if dob > today:
        return "future"
    if dob.year < today.year - 120:
        return "too old"
    return None


def identifier_cleaned(name: str, value: str) -> str:
    """An NI or NHS number written the standard way, checked by its rules (a
    ValidationError says what is wrong)."""
    normalise, validate = IDENTIFIER_FIELDS[name]
    value = normalise(value)
    validate(value)
    return value


def person_details_problems(fields: Mapping[str, Any]) -> dict[str, list[str]]:
    """What the person's record would be refused for (date of birth, NI and NHS numbers,
    postcode), by field, for a form to show beside its own errors, all at once. The
    services check the same again when saving."""
    given = {name: fields[name] for name in (*IDENTIFIER_FIELDS, "postcode") if fields.get(name)}
    given["date_of_birth"] = fields.get("date_of_birth") or None
    return {
        name: [str(m) for m in (found if isinstance(found, list) else [found])]
        for name, found in _check_person_fields(given, timezone.localdate()).items()
    }


def _check_person_fields(cleaned: dict[str, Any], today: date) -> dict[str, str | list[str]]:
    """Checks the date of birth, identifiers and postcode, writing the identifiers and
    postcode in `cleaned` the standard way; what is wrong, by field."""
    errors: dict[str, str | list[str]] = {}
    dob = cleaned.get("date_of_birth")
    if dob and (problem := date_of_birth_problem(dob, today)):
        errors["date_of_birth"] = DATE_OF_BIRTH_MESSAGES[problem]
    for name in IDENTIFIER_FIELDS:
        if cleaned.get(name):
            try:
                cleaned[name] = identifier_cleaned(name, cleaned[name])
            except ValidationError as error:
                errors[name] = error.messages
    if cleaned.get("postcode"):
        try:
            cleaned["postcode"] = identifiers.postcode_cleaned(cleaned["postcode"])
        except ValidationError as error:
            errors["postcode"] = error.messages
    return errors


def _clean_person_fields(
    fields: Mapping[str, Any], estimated_age: int | None, today: date
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {name: fields.get(name) or "" for name in PERSON_FIELDS}
    for name in EQUALITY_FIELDS:
        cleaned[name] = cleaned[name] or "not_asked"
    for name in ("date_of_birth",):
        cleaned[name] = fields.get(name) or None
    cleaned["address_confidential"] = bool(fields.get("address_confidential"))
    errors = _check_person_fields(cleaned, today)
    if errors:
        raise ValidationError(errors)
    dob = cleaned["date_of_birth"]
    cleaned["estimated_birth_year"] = (
        today.year - estimated_age if (estimated_age is not None and not dob) else None
    )
    for name in ("first_name", "middle_names", "last_name", "preferred_name", "previous_names"):
        cleaned[name] = " ".join(str(cleaned[name]).split())
    return cleaned


def search_names_for(person: Person) -> str:
    names = (
        person.first_name,
        person.middle_names,
        person.last_name,
        person.preferred_name,
        person.previous_names,
    )
    return " ".join(fold(n) for n in names if n)


def match_keys_for(person: Person) -> str:
    return " ".join(sorted(candidate_keys_for(candidate_from(person, with_identifiers=False))))


def _save_person(actor: User, person: Person) -> None:
    person.search_names = search_names_for(person)
    person.match_keys = match_keys_for(person)
    person.full_clean()
    try:
        with transaction.atomic(), set_actor(actor):
            person.save()
    except IntegrityError as error:
        raise ValidationError(
            "Someone in your organisation already has this National Insurance or NHS number."
        ) from error


@transaction.atomic
def person_create(
    *,
    actor: User,
    support_needs: Sequence[str] = (),
    primary_need: str = "",
    estimated_age: int | None = None,
    **fields: Unpack[PersonDetails],
) -> Person:
    access.check_or_404(actor, "people.record")
    cleaned = _clean_person_fields(fields, estimated_age, timezone.localdate())
    person = Person(organisation_id=actor.organisation_id, created_by=actor, **cleaned)
    _save_person(actor, person)
    _set_support_needs(actor, person, support_needs, primary_need)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    version: int,
    support_needs: Sequence[str] = (),
    primary_need: str = "",
    estimated_age: int | None = None,
    **fields: Unpack[PersonDetails],
) -> Person:
    """Saves the edit only if nobody saved the record since the form was opened; else
    raises ChangedSinceOpened with the record as it now is, so neither edit is lost."""
    access.check_can_record_on(actor, person)
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != version:
        raise ChangedSinceOpened("record", current, message=RECORD_CHANGED)
    cleaned = _clean_person_fields(fields, estimated_age, timezone.localdate())
    if estimated_age is None and not cleaned["date_of_birth"]:
        cleaned["estimated_birth_year"] = current.estimated_birth_year
    for name, value in cleaned.items():
        setattr(current, name, value)
    current.version += 1  # the row is locked, so no one else can move it meanwhile
    _save_person(actor, current)
    _set_support_needs(actor, current, support_needs, primary_need)
    return current


def _set_support_needs(
    actor: User, person: Person, support_needs: Iterable[str], primary: str
) -> None:
    needs = list(dict.fromkeys(support_needs))
    if primary and primary not in needs:
        needs.insert(0, primary)
    with set_actor(actor):
        for existing in person.support_needs.exclude(need__in=needs):
            existing.delete()
        SupportNeed.objects.filter(person=person).exclude(need=primary).update(is_primary=False)
        for need in needs:
            row, _ = SupportNeed.objects.get_or_create(person=person, need=need)
            if row.is_primary != (need == primary):
                row.is_primary = need == primary
                row.save(update_fields=["is_primary"])


@transaction.atomic
def identifier_add(*, actor: User, person: Person, kind: str, value: str) -> PersonIdentifier:
    access.check_can_record_on(actor, person)
    return save_checked(actor, PersonIdentifier(person=person, kind=kind, value=value.strip()))


@transaction.atomic
def alert_add(
    *,
    actor: User,
    person: Person,
    text: str,
    level: str,
    review_on: date | None = None,
    kind: str = Alert.Kind.GENERAL,
) -> Alert:
    access.check_can_record_on(actor, person)
    if review_on and review_on < timezone.localdate():
        raise ValidationError({"review_on": "The review date must be today or later."})
    alert = Alert(
        person=person,
        kind=kind or Alert.Kind.GENERAL,
        text=text,
        level=level,
        review_on=review_on,
        created_by=actor,
    )
    return save_checked(actor, alert)


@transaction.atomic
def alert_end(*, actor: User, alert: Alert, reason: str) -> None:
    access.check_can_record_on(actor, alert.person)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.ended_at:
        raise ValidationError("This alert has already ended.")
    alert.ended_at = timezone.now()
    alert.ended_reason = reason
    with set_actor(actor):
        alert.save(update_fields=["ended_at", "ended_reason"])


@transaction.atomic
def emergency_contact_add(
    *, actor: User, person: Person, name: str, relationship: str, phone: str, notes: str = ""
) -> EmergencyContact:
    access.check_can_record_on(actor, person)
    contact = EmergencyContact(
        person=person, name=name, relationship=relationship, phone=phone, notes=notes
    )
    return save_checked(actor, contact)


@transaction.atomic
def consent_add(
    *,
    actor: User,
    person: Person,
    shared_with: str,
    purpose: str,
    given_on: date,
    expires_on: date | None = None,
) -> Consent:
    access.check_can_record_on(actor, person)
    consent = Consent(
        person=person,
        shared_with=shared_with,
        purpose=purpose,
        given_on=given_on,
        expires_on=expires_on,
    )
    return save_checked(actor, consent)


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: date) -> None:
    access.check_can_record_on(actor, consent.person)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on:
        raise ValidationError("This consent has already been withdrawn.")
    if withdrawn_on < consent.given_on:
        raise ValidationError("Consent cannot be withdrawn before it was given.")
    consent.withdrawn_on = withdrawn_on
    with set_actor(actor):
        consent.save(update_fields=["withdrawn_on"])


@transaction.atomic
def professional_add(
    *,
    actor: User,
    person: Person,
    role: str,
    name: str,
    agency: Agency | None = None,
    phone: str = "",
    email: str = "",
    ended_on: date | None = None,
) -> Professional:
    access.check_can_record_on(actor, person)
    if agency is not None and agency.organisation_id != person.organisation_id:
        raise ValidationError({"agency": "Choose an agency from your organisation's directory."})
    professional = Professional(
        person=person,
        role=role,
        name=name,
        agency=agency,
        phone=phone,
        email=email,
        ended_on=ended_on,
    )
    return save_checked(actor, professional)


@transaction.atomic
def possible_duplicate_mark(
    *, actor: User, person: Person, other: Person, note: str = ""
) -> PossibleDuplicate:
    """Staff link only records they may both see: a record they may not see is, to them,
    a record that does not exist."""
    access.check_can_record_on(actor, person)
    if not access.may_see_person(actor, other):
        raise NotFoundOrNotAllowed
    if person.pk == other.pk:
        raise ValidationError("A record cannot be a duplicate of itself.")
    first, second = sorted((person, other), key=lambda p: p.pk)
    existing = PossibleDuplicate.objects.filter(person=first, other=second).first()
    if existing:
        return existing
    return save_checked(
        actor, PossibleDuplicate(person=first, other=second, marked_by=actor, note=note)
    )


MERGE_FILLS = (
    "middle_names",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "estimated_birth_year",
    "phone",
    "email",
    "address",
    "postcode",
    "ni_number",
    "nhs_number",
)


@dataclass(frozen=True)
class MergeMove:
    """Rows of a person's record an area keeps, for a merge to move to the record kept
    ("merge_moves"): the model, and the fields that, with the person, must be unique.
    A row the kept record already has its own of stays on the merged one."""

    model: type[Model]
    unique_with: tuple[str, ...] = ()


def _move_to(
    keep: Person, merge: Person, model: type[Model], unique_with: tuple[str, ...]
) -> list[Model]:
    # An area's model, known here only as a model: Django gives each its `objects`.
    objects: Manager[Model] = model.objects  # type: ignore[attr-defined]
    if model._meta.get_field("person").one_to_one and objects.filter(person=keep).exists():
        return []
    rows = list(objects.filter(person=merge))
    if unique_with:
        attnames = [cast(Field, model._meta.get_field(name)).attname for name in unique_with]
        taken = set(objects.filter(person=keep).values_list(*attnames))
        rows = [r for r in rows if tuple(getattr(r, a) for a in attnames) not in taken]
    objects.filter(pk__in=[r.pk for r in rows]).update(person=keep)
    return rows


@transaction.atomic
def person_merge(*, actor: User, keep: Person, merge: Person) -> Person:
    """Makes two records of the same person one. Everything recorded on `merge` moves
    to `keep`, blanks on `keep` are filled from `merge`, and `merge` stays, marked as
    merged, so that its history is never lost. Seniors and managers only."""
    access.check_or_404(actor, "people.merge")
    if not (access.may_see_person(actor, keep) and access.may_see_person(actor, merge)):
        raise NotFoundOrNotAllowed
    if keep.pk == merge.pk:
        raise ValidationError("Choose two different records.")
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    merge = Person.objects.select_for_update().get(pk=merge.pk)
    if keep.merged_into_id or merge.merged_into_id:
        raise ValidationError("One of these records has already been merged.")
    clashes = [
        name
        for name in ("date_of_birth", "ni_number", "nhs_number")
        if getattr(keep, name)
        and getattr(merge, name)
        and getattr(keep, name) != getattr(merge, name)
    ]
    if clashes:
        labels = ", ".join(
            str(cast(Field, Person._meta.get_field(n)).verbose_name) for n in clashes
        )
        raise ValidationError(
            f"The records have different {labels}: they may not be the same person."
        )

    moved = []
    for model in (
        Episode,
        Referral,
        PersonIdentifier,
        Alert,
        EmergencyContact,
        Consent,
        Professional,
    ):
        rows = list(model.objects.filter(person=merge))
        model.objects.filter(person=merge).update(person=keep)
        moved += rows
    for move in contributed("merge_moves"):
        moved += _move_to(keep, merge, move.model, move.unique_with)
    keep_needs = set(keep.support_needs.values_list("need", flat=True))
    SupportNeed.objects.filter(person=merge, need__in=keep_needs).delete()
    SupportNeed.objects.filter(person=merge).update(person=keep, is_primary=False)

    with set_actor(actor):
        merge.merged_into = keep
        merge.version += 1
        merge.save(update_fields=["merged_into", "version"])
        for name in MERGE_FILLS:
            if not getattr(keep, name) and getattr(merge, name):
                setattr(keep, name, getattr(merge, name))
        if merge.legal_name != keep.legal_name:
            names = [n for n in (keep.previous_names, merge.legal_name) if n]
            keep.previous_names = ", ".join(dict.fromkeys(names))[:200]
        keep.version += 1
        _save_person(actor, keep)
        PossibleDuplicate.objects.filter(
            person__in=[keep, merge], other__in=[keep, merge], resolved_at=None
        ).update(resolved_at=timezone.now())
    from keywork.audit.services import record_bulk_change

    record_bulk_change(
        actor=actor, objects=moved, changes={"person": [str(merge.pk), str(keep.pk)]}
    )
    return keep


@transaction.atomic
def confidential_address_release(*, actor: User, person: Person, purpose: str) -> None:
    """Records that someone chose, on purpose, to put a confidential address on paper or
    in an export. Without this choice such an address is always left out."""
    from keywork.audit.services import record_bulk_change

    access.check_can_record_on(actor, person)
    if not purpose.strip():
        raise ValidationError({"purpose": "Say why the address must be included."})
    record_bulk_change(
        actor=actor,
        objects=[person],
        changes={"confidential address released": ["", purpose.strip()[:200]]},
    )


# --- Referrals ----------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: User,
    person: Person,
    service: Service,
    received_on: date,
    source: str,
    reason: str,
    source_agency: Agency | None = None,
    source_contact: str = "",
    needs: str = "",
    risk_summary: str = "",
) -> Referral:
    """A referral to any of the organisation's services (staff refer on to other teams),
    made by someone who may see the person."""
    access.check_can_record_on(actor, person)
    if service.organisation_id != actor.organisation_id or service.archived_at:
        raise ValidationError({"service": "Choose one of your organisation's services."})
    if received_on and received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    agency = source_agency
    if agency is not None and agency.organisation_id != actor.organisation_id:
        raise ValidationError({"source_agency": "Choose an agency from your directory."})
    if Referral.objects.filter(
        person=person, service=service, status__in=Referral.OPEN_STATUSES
    ).exists():
        raise ValidationError(f"{person} already has an open referral to {service}.")
    referral = Referral(
        organisation_id=actor.organisation_id,
        person=person,
        service=service,
        created_by=actor,
        received_on=received_on,
        source=source,
        reason=reason,
        source_agency=source_agency,
        source_contact=source_contact,
        needs=needs,
        risk_summary=risk_summary,
    )
    return save_checked(actor, referral)


def _decide(actor: User, referral: Referral, status: str, reason: str = "") -> Referral:
    permission = (
        "people.decide_in_service"
        if status in (Referral.Status.DECLINED, Referral.Status.ACCEPTED)
        else "people.work_in_service"
    )
    access.check_or_404(actor, permission, referral.service)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in Referral.OPEN_STATUSES:
        raise ValidationError(
            f"This referral has already been {referral.get_status_display().lower()}."
        )
    referral.status = status
    if status != Referral.Status.ASSESSING:
        referral.decided_on = timezone.localdate()
        referral.decided_by = actor
        referral.decision_reason = reason.strip()
    return save_checked(actor, referral)


@transaction.atomic
def referral_start_assessment(*, actor: User, referral: Referral) -> Referral:
    return _decide(actor, referral, Referral.Status.ASSESSING)


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for declining."})
    return _decide(actor, referral, Referral.Status.DECLINED, reason)


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, reason: str) -> Referral:
    return _decide(actor, referral, Referral.Status.WITHDRAWN, reason)


@transaction.atomic
def referral_accept(
    *,
    actor: User,
    referral: Referral,
    start_date: date,
    key_worker: User,
    co_workers: Sequence[User] = (),
) -> Episode:
    """Accepts the referral and opens the person's episode in the service."""
    referral = _decide(actor, referral, Referral.Status.ACCEPTED)
    return episode_open(
        actor=actor,
        person=referral.person,
        service=referral.service,
        start_date=start_date,
        key_worker=key_worker,
        co_workers=co_workers,
        referral=referral,
    )


# --- Episodes ---------------------------------------------------------------------------------


def start_date_problem(start_date: date) -> str | None:
    """Why support cannot start on this day, if it cannot (the form says it beside its
    other errors; episode_open checks it again)."""
    if start_date > timezone.localdate() + timedelta(days=31):
        return "The start date is too far ahead: at most a month."
    return None


def end_date_problem(end_date: date, *, started: date) -> str | None:
    """Why support cannot end on this day, if it cannot."""
    if end_date < started:
        return "The end date cannot be before the start date."
    if end_date > timezone.localdate():
        return "The end date cannot be in the future."
    return None


def _check_key_worker(user: User, service: Service) -> None:
    roles = {
        m.role
        for m in user.memberships.filter(team__services=service)
        if m.role in KEY_WORKER_ROLES
    }
    if not user.is_active or user.organisation_id != service.organisation_id or not roles:
        raise ValidationError(
            {
                "key_worker": "The key worker must be a support worker or above in a team "
                f"that works in {service}."
            }
        )


def _check_co_worker(user: User, organisation_id: int) -> None:
    if (
        not user.is_active
        or user.organisation_id != organisation_id
        or not user.memberships.filter(role__in=CO_WORKER_ROLES).exists()
    ):
        raise ValidationError({"user": f"{user} cannot be a co-worker."})


@transaction.atomic
def episode_open(
    *,
    actor: User,
    person: Person,
    service: Service,
    start_date: date,
    key_worker: User,
    co_workers: Sequence[User] = (),
    referral: Referral | None = None,
) -> Episode:
    """Takes the person on: a decision for a key worker or above in the service, about
    someone they may see (through the referral, for one being accepted)."""
    access.check_or_404(actor, "people.decide_in_service", service)
    if person.organisation_id != service.organisation_id:
        raise NotFoundOrNotAllowed
    access.check_can_record_on(actor, person)
    if problem := start_date_problem(start_date):
        raise ValidationError({"start_date": problem})
    _check_key_worker(key_worker, service)
    if Episode.objects.filter(person=person, service=service, end_date=None).exists():
        raise ValidationError(f"{person} is already being supported by {service}.")
    episode = save_checked(
        actor,
        Episode(
            organisation_id=service.organisation_id,
            person=person,
            service=service,
            referral=referral,
            start_date=start_date,
            key_worker=key_worker,
            created_by=actor,
        ),
    )
    for co_worker in co_workers:
        co_worker_add(actor=actor, episode=episode, user=co_worker)
    if key_worker.pk != actor.pk:
        _tell_new_key_worker(key_worker, [episode])
    return episode


@transaction.atomic
def co_worker_add(*, actor: User, episode: Episode, user: User) -> EpisodeWorker:
    access.check_or_404(actor, "people.work_in_service", episode.service)
    _check_co_worker(user, episode.organisation_id)
    if user.pk == episode.key_worker_id:
        raise ValidationError({"user": f"{user} is already the key worker."})
    if episode.end_date is not None:
        raise ValidationError("Support has ended: co-workers cannot be added.")
    with set_actor(actor):
        worker, created = EpisodeWorker.objects.get_or_create(episode=episode, user=user)
    if created and user.pk != actor.pk:
        notify(
            user=user,
            text=f"You are now a co-worker for {episode.person} in {episode.service}.",
            url=reverse("people:person", args=[episode.person_id]),
            about_person_id=episode.person_id,
        )
    return worker


@transaction.atomic
def co_worker_remove(*, actor: User, worker: EpisodeWorker) -> None:
    access.check_or_404(actor, "people.work_in_service", worker.episode.service)
    with set_actor(actor):
        worker.delete()


@transaction.atomic
def episode_close(
    *,
    actor: User,
    episode: Episode,
    end_date: date,
    end_reason: str,
    destination: str,
) -> Episode:
    access.check_or_404(actor, "people.decide_in_service", episode.service)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.end_date is not None:
        raise ValidationError("This episode has already ended.")
    if problem := end_date_problem(end_date, started=episode.start_date):
        raise ValidationError({"end_date": problem})
    episode.end_date = end_date
    episode.end_reason = end_reason
    episode.destination = destination
    episode.ended_by = actor
    episode.version += 1
    episode = save_checked(actor, episode)
    # What the areas do when support ends (housing ends the stay in its rooms), in the
    # same transaction.
    for then in contributed("on_episode_close"):
        then(episode, end_date, actor)
    return episode


@transaction.atomic
def episode_reopen(*, actor: User, episode: Episode) -> Episode:
    """Undoes an end recorded by mistake. Only soon after, and only by the service's team."""
    access.check_or_404(actor, "people.decide_in_service", episode.service)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.end_date is None:
        raise ValidationError("This episode is still open.")
    if (timezone.localdate() - episode.end_date).days > settings.KEYWORK_REOPEN_DAYS:
        raise ValidationError(
            f"Episodes can be re-opened for {settings.KEYWORK_REOPEN_DAYS} days after they end. "
            "Start a new episode instead."
        )
    if Episode.objects.filter(
        person=episode.person, service=episode.service, end_date=None
    ).exists():
        raise ValidationError("This person already has an open episode in this service.")
    episode.end_date = None
    episode.end_reason = ""
    episode.destination = ""
    episode.ended_by = None
    episode.version += 1
    return save_checked(actor, episode)


# --- Caseloads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reallocation:
    moved: int
    new_key_worker: User


@transaction.atomic
def caseload_reallocate(
    *, actor: User, episodes: list[Episode], new_key_worker: User
) -> Reallocation:
    """Moves one person or many (a leaver's whole caseload) to a new key worker, at once:
    either every episode moves or none does."""
    if not episodes:
        raise ValidationError({"episodes": "Choose at least one person to move."})
    locked = list(
        Episode.objects.select_for_update()
        .filter(pk__in=[e.pk for e in episodes])
        .select_related("service", "person")
    )
    for episode in locked:
        access.check_or_404(actor, "people.manage_service", episode.service)
        if episode.end_date is not None:
            raise ValidationError(f"{episode.person}'s episode has ended: it cannot be moved.")
        _check_key_worker(new_key_worker, episode.service)
    moved = []
    with set_actor(actor):
        for episode in locked:
            if episode.key_worker_id == new_key_worker.pk:
                continue
            episode.key_worker = new_key_worker
            episode.version += 1
            episode.save(update_fields=["key_worker", "version"])
            EpisodeWorker.objects.filter(episode=episode, user=new_key_worker).delete()
            moved.append(episode)
    if moved:
        _tell_new_key_worker(new_key_worker, moved)
    return Reallocation(moved=len(moved), new_key_worker=new_key_worker)


def _tell_new_key_worker(user: User, episodes: list[Episode]) -> None:
    if len(episodes) == 1:
        episode = episodes[0]
        notify(
            user=user,
            text=f"You are now key worker for {episode.person} in {episode.service}.",
            url=reverse("people:person", args=[episode.person_id]),
            about_person_id=episode.person_id,
        )
    else:
        notify(
            user=user,
            text=f"You are now key worker for {len(episodes)} more people.",
            url=reverse("people:my_caseload"),
        )


# --- Duplicates held elsewhere -------------------------------------------------------------


@transaction.atomic
def duplicate_check_ask(*, actor: User, reference: str) -> int:
    """A worker recording someone new was told a possible match is held by a service
    whose records they may not see. This asks that service's managers (who may) to look,
    without telling the worker anything more. Returns how many managers were asked."""
    from django.core import signing

    from keywork.people.selectors import DUPLICATE_SALT

    access.check_or_404(actor, "people.record")
    try:
        person_id = signing.loads(reference, salt=DUPLICATE_SALT, max_age=24 * 60 * 60)
    except signing.BadSignature as error:
        raise NotFoundOrNotAllowed from error
    person = Person.objects.filter(
        pk=person_id, organisation_id=actor.organisation_id, merged_into=None
    ).first()
    if person is None:
        raise NotFoundOrNotAllowed
    service_ids = set(person.episodes.values_list("service_id", flat=True)) | set(
        person.referrals.values_list("service_id", flat=True)
    )
    managers = list(
        User.objects.filter(
            organisation_id=actor.organisation_id,
            is_active=True,
            memberships__role__in=access.MANAGER_ROLES,
            memberships__team__services__in=service_ids,
        )
        .exclude(pk=actor.pk)
        .distinct()
    )
    notify_many(
        users=managers,
        text=(
            f"{actor} is recording someone new who may be the same person as record "
            f"{person.pk}. Check the record and let {actor} know."
        ),
        url=reverse("people:person", args=[person.pk]),
        about_person_id=person.pk,
    )
    return len(managers)


# --- Break-glass ------------------------------------------------------------------------------


@transaction.atomic
def break_glass(*, actor: User, person: Person, reason: str) -> BreakGlassAccess:
    """Opens a record outside the worker's scope for an hour, with the reason on the
    record; the lead managers of the person's services are told at once."""
    access.check_or_404(actor, "people.record")
    if person.organisation_id != actor.organisation_id:
        raise NotFoundOrNotAllowed
    if len(reason.strip()) < 20:
        raise ValidationError(
            {"reason": "Explain why you need this record (20 characters or more)."}
        )
    now = timezone.now()
    grant = save_checked(
        actor,
        BreakGlassAccess(
            user=actor,
            person=person,
            reason=reason.strip(),
            granted_at=now,
            expires_at=now + timedelta(minutes=settings.KEYWORK_BREAK_GLASS_MINUTES),
        ),
    )
    # The managers of every service that holds the person: through support, or through
    # a referral alone (outreach and assessment work starts before support does).
    service_ids = set(person.episodes.values_list("service_id", flat=True)) | set(
        person.referrals.values_list("service_id", flat=True)
    )
    lead_managers = User.objects.filter(
        organisation_id=person.organisation_id,
        is_active=True,
        memberships__role=Role.LEAD_MANAGER,
        memberships__team__services__in=service_ids,
    ).distinct()
    for manager in lead_managers:
        notify(
            user=manager,
            text=f"{actor} used break-glass access to open a record: {reason.strip()[:120]}",
            url=reverse("people:person", args=[person.pk]),
            about_person_id=person.pk,
        )
    return grant
