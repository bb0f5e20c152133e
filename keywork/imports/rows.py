"""What each Keywork field means in an import, and how one row is checked."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from keywork.core.fields import EARLIEST_DATE, LATEST_DATE
from keywork.people.identifiers import postcode_cleaned
from keywork.people.models import (
    DISABILITY_CHOICES,
    ETHNICITY_CHOICES,
    GENDER_CHOICES,
    RELIGION_CHOICES,
    SEXUAL_ORIENTATION_CHOICES,
    Episode,
)
from keywork.people.services import date_of_birth_problem, identifier_cleaned


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


FIELDS = (
    ImportField("first_name", "First name", True, ("forename", "given name", "first")),
    ImportField("last_name", "Last name", True, ("surname", "family name", "last")),
    ImportField("middle_names", "Middle names", aliases=("middle name",)),
    ImportField("preferred_name", "Preferred name", aliases=("known as",)),
    ImportField("pronouns", "Pronouns"),
    ImportField("date_of_birth", "Date of birth", aliases=("dob", "birth date")),
    ImportField("ni_number", "National Insurance number", aliases=("ni", "nino", "ni number")),
    ImportField("nhs_number", "NHS number", aliases=("nhs",)),
    ImportField("chain_id", "CHAIN id", aliases=("chain", "chain number")),
    ImportField("phone", "Phone", aliases=("telephone", "mobile")),
    ImportField("email", "Email", aliases=("email address",)),
    ImportField("address", "Address"),
    ImportField("postcode", "Postcode", aliases=("post code",)),
    ImportField("gender", "Gender"),
    ImportField("ethnicity", "Ethnic group", aliases=("ethnicity",)),
    ImportField("religion", "Religion or belief", aliases=("religion",)),
    ImportField("sexual_orientation", "Sexual orientation"),
    ImportField("disability", "Disability", aliases=("disabled",)),
    ImportField("service", "Service (for an episode)", aliases=("service name",)),
    ImportField("start_date", "Episode start date", aliases=("start date", "start")),
    ImportField("key_worker_email", "Key worker's email", aliases=("key worker", "keyworker")),
    ImportField("end_date", "Episode end date", aliases=("end date", "end")),
    ImportField("end_reason", "End reason", aliases=("reason for leaving",)),
    ImportField("destination", "Destination", aliases=("move-on destination",)),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
EPISODE_FIELDS = (
    "service",
    "start_date",
    "key_worker_email",
    "end_date",
    "end_reason",
    "destination",
)

CHOICE_FIELDS = {
    "gender": GENDER_CHOICES,
    "ethnicity": ETHNICITY_CHOICES,
    "religion": RELIGION_CHOICES,
    "sexual_orientation": SEXUAL_ORIENTATION_CHOICES,
    "disability": DISABILITY_CHOICES,
    "end_reason": Episode.EndReason.choices,
    "destination": Episode.Destination.choices,
}


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Keywork field -> file column, where a heading plainly names the field."""
    by_heading = {_normal(h): h for h in headers if h}
    mapping = {}
    for f in FIELDS:
        for candidate in (f.name, f.label, *f.aliases):
            if _normal(candidate) in by_heading:
                mapping[f.name] = by_heading[_normal(candidate)]
                break
    return mapping


def _choice(value: str, choices, label: str) -> str:
    wanted = _normal(value)
    for code, text in choices:
        if wanted in (_normal(code), _normal(text)):
            return code
    raise ValidationError(f"{label}: '{value[:40]}' is not one of Keywork's answers")


DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


def parse_date(value: str, label: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(f"{label}: '{value[:20]}' is not a date between 1900 and 2100")
        return day
    raise ValidationError(f"{label}: '{value[:20]}' is not a date like 27/03/1985")


@dataclass
class CheckedRow:
    number: int
    person: dict = field(default_factory=dict)
    chain_id: str = ""
    episode: dict | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Lookups:
    """What rows are checked against, read once for the whole file."""

    today: date
    services: dict[str, object]  # lower-case name -> Service
    key_workers: dict[tuple[str, int], object]  # (email, service id) -> User
    taken_ni: dict[str, int]  # NI number -> existing record number
    taken_nhs: dict[str, int]
    seen_ni: dict[str, int] = field(default_factory=dict)  # within this file -> row number
    seen_nhs: dict[str, int] = field(default_factory=dict)


def check_row(number: int, values: dict[str, str], lookups: Lookups) -> CheckedRow:
    """Turns one row's cells into a person (and maybe an episode), or says what is wrong,
    column by column, in words a data clerk can act on."""
    row = CheckedRow(number=number)
    # A NUL byte cannot be stored in PostgreSQL text and means nothing in a name.
    values = {name: value.replace("\x00", "") for name, value in values.items()}

    def error(name: str, message: str) -> None:
        row.errors.append((FIELDS_BY_NAME[name].label, message))

    person = row.person
    for name in (
        "first_name",
        "last_name",
        "middle_names",
        "preferred_name",
        "pronouns",
        "phone",
        "address",
        "postcode",
    ):
        value = " ".join(values.get(name, "").split())
        limit = {
            "first_name": 100,
            "last_name": 100,
            "middle_names": 150,
            "preferred_name": 100,
            "pronouns": 40,
            "phone": 40,
            "address": 500,
            "postcode": 10,
        }[name]
        if len(value) > limit:
            error(name, f"is longer than {limit} characters")
        if name == "postcode" and value:
            try:
                value = postcode_cleaned(value)
            except ValidationError:
                error(name, f"'{value[:12]}' is not a UK postcode")
        person[name] = value[:limit]
    for name in ("first_name", "last_name"):
        if not person[name]:
            error(name, "is empty")

    email = values.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("email", f"'{email[:40]}' is not an email address")
    person["email"] = email

    dob = values.get("date_of_birth", "").strip()
    person["date_of_birth"] = None
    if dob:
        try:
            person["date_of_birth"] = parse_date(dob, "Date of birth")
            problem = date_of_birth_problem(person["date_of_birth"], lookups.today)
            if problem == "future":
                error("date_of_birth", "is in the future")
            elif problem == "too old":
                error("date_of_birth", "would make them over 120")
        except ValidationError as e:
            error("date_of_birth", e.messages[0].split(": ", 1)[1])

    for name, taken, seen in (
        ("ni_number", lookups.taken_ni, lookups.seen_ni),
        ("nhs_number", lookups.taken_nhs, lookups.seen_nhs),
    ):
        value = values.get(name, "").strip()
        person[name] = ""
        if not value:
            continue
        try:
            value = identifier_cleaned(name, value)
        except ValidationError as e:
            error(name, e.messages[0])
            continue
        if value in taken:
            error(name, f"already belongs to record {taken[value]}")
        elif value in seen:
            error(name, f"is also on row {seen[value]}")
        else:
            seen[value] = number
        person[name] = value

    for name in ("gender", "ethnicity", "religion", "sexual_orientation", "disability"):
        value = values.get(name, "").strip()
        if not value:
            person[name] = "not_asked"
            continue
        try:
            person[name] = _choice(value, CHOICE_FIELDS[name], FIELDS_BY_NAME[name].label)
        except ValidationError:
            error(name, f"'{value[:40]}' is not one of Keywork's answers")
            person[name] = "not_asked"

    row.chain_id = values.get("chain_id", "").strip()[:60]

    if any(values.get(name, "").strip() for name in EPISODE_FIELDS):
        row.episode = _check_episode(values, lookups, error)
    return row


def _check_episode(values: dict[str, str], lookups: Lookups, error) -> dict:
    episode = {}
    service_name = values.get("service", "").strip()
    service = lookups.services.get(service_name.lower())
    if not service_name:
        error("service", "is empty, but the row has episode details")
    elif service is None:
        error("service", f"'{service_name[:60]}' is not one of your organisation's services")
    episode["service"] = service
    for name, label in (("start_date", "Episode start date"), ("end_date", "Episode end date")):
        value = values.get(name, "").strip()
        episode[name] = None
        if value:
            try:
                episode[name] = parse_date(value, label)
            except ValidationError as e:
                error(name, e.messages[0].split(": ", 1)[1])
    if not values.get("start_date", "").strip():
        error("start_date", "is empty, but the row has episode details")
    start, end = episode["start_date"], episode["end_date"]
    if start and start > lookups.today:
        error("start_date", "is in the future")
    if start and end and end < start:
        error("end_date", "is before the start date")
    if end and end > lookups.today:
        error("end_date", "is in the future")
    email = values.get("key_worker_email", "").strip().lower()
    episode["key_worker"] = None
    if not email:
        error("key_worker_email", "is empty, but the row has episode details")
    elif service is not None:
        episode["key_worker"] = lookups.key_workers.get((email, service.pk))
        if episode["key_worker"] is None:
            error(
                "key_worker_email",
                f"'{email[:60]}' is not a support worker or above in a team of {service}",
            )
    for name in ("end_reason", "destination"):
        value = values.get(name, "").strip()
        episode[name] = ""
        if value:
            try:
                episode[name] = _choice(value, CHOICE_FIELDS[name], FIELDS_BY_NAME[name].label)
            except ValidationError:
                error(name, f"'{value[:40]}' is not one of Keywork's answers")
    if end and not (episode["end_reason"] and episode["destination"]):
        error("end_reason", "and the destination are needed when the episode has ended")
    if not end and (episode["end_reason"] or episode["destination"]):
        error("end_date", "is empty, but the row has an end reason or destination")
    return episode
