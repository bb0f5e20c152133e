"""What the audit page shows of each row, and to whom.

The audit proves who did what to which record, and when. It does not need what the
record says, and the people who read it (administrators, lead managers) are not all
allowed to read the records themselves. So:

- A row about a person's record shows its values, and the record's name, only to
  someone who may see that person (access.people_visible_to); anyone else sees the
  kind of record, its number, who and when.
- Free text is never shown, to anyone: only that it changed. Free text is what staff
  write in their own words, and it is where the details of someone's life end up (what
  happened, what was disclosed, what the risk is). It is decided here, in
  `is_free_text`, for every audited model at once:
    * any TextField or JSONField;
    * any plain CharField (no choices) of FREE_TEXT_LENGTH characters or more: Keywork's
      sentence-length fields (an alert, a reason, a task's title, who else was there);
    * the fields in ALSO_FREE_TEXT, shorter but saying what a file note is about (its
      subject, and the file names of its attachments): a restricted note's subject is
      as sensitive as its text.
  A record whose name (its `str`) is made of free text is shown by kind and number only
  (NAMED_IN_FREE_TEXT).
- Records that belong to no one person are declared (about_no_one_person): set-up and
  staff records (SET_UP_AND_STAFF) are shown whole to everyone who may read the
  organisation's audit; the rest (incidents, which are about several people at once,
  and imports, which follow their own rules) only by kind and number.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from keywork.audit.models import AuditEntry
from keywork.core.contributions import contributed

PERSON_NOT_SHOWN = "Not shown: you cannot see this person's record"
KIND_NOT_SHOWN = "Not shown: the audit does not show what this kind of record says"

SET_UP_AND_STAFF = frozenset(
    {
        "accounts.user",
        "accounts.membership",
        "accounts.invitation",
        "notes.calendarfeed",
        "organisations.organisation",
        "organisations.area",
        "organisations.service",
        "organisations.team",
        "housing.property",
        "housing.unit",
        "outcomes.framework",
        "outcomes.domain",
        "outcomes.stage",
        "people.agency",
    }
)
KEPT_BACK = frozenset(
    {
        "risk.incident",
        "risk.incidentaction",
        "risk.incident_staff_involved",
        "imports.importjob",
    }
)


def about_no_one_person() -> frozenset[str]:
    """Every audited kind of record that belongs to no one person: the set-up and staff,
    what is kept back here, and what each area declares (rows of the kinds not in
    SET_UP_AND_STAFF are shown by kind and number only)."""
    return SET_UP_AND_STAFF | KEPT_BACK | frozenset(contributed("audit_no_one_person"))


FREE_TEXT_LENGTH = 300
ALSO_FREE_TEXT = {
    "notes.filenote": frozenset({"subject"}),
    "notes.filenoteversion": frozenset({"subject"}),
    "notes.attachment": frozenset({"original_name"}),
}
NAMED_IN_FREE_TEXT = frozenset(
    {
        "notes.filenote",
        "notes.attachment",
        "people.alert",
        "planning.action",
        "planning.goal",
        "risk.incidentaction",
        "tasks.task",
    }
)
# Plain names where the model's own would read oddly in a list of records.
KIND_NAMES = {
    "people.person": "Person record",
    "risk.incident_staff_involved": "Staff involved in an incident",
    "people.breakglassaccess": "Break-glass access",
    "housing.moveonplan": "Move-on plan",
}
LONGEST_VALUE = 100


def is_free_text(model: type[models.Model], field_name: str) -> bool:
    if field_name in ALSO_FREE_TEXT.get(model._meta.label_lower, ()):
        return True
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return False
    if isinstance(field, models.TextField | models.JSONField):
        return True
    return (
        isinstance(field, models.CharField)
        and not field.choices
        and (field.max_length or 0) >= FREE_TEXT_LENGTH
    )


def set_up_and_staff_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in sorted(SET_UP_AND_STAFF)]


@dataclass(frozen=True)
class Change:
    field: str
    text: str


@dataclass(frozen=True)
class ShownEntry:
    entry: AuditEntry
    what: str
    record: str
    changes: list[Change]
    not_shown: str = ""


WHAT = {
    AuditEntry.Action.CREATE: "Created",
    AuditEntry.Action.UPDATE: "Changed",
    AuditEntry.Action.DELETE: "Deleted",
    AuditEntry.Action.ACCESS: "Viewed",
}


def shown_entries(entries: list[AuditEntry], *, visible_person_ids: set[int]) -> list[ShownEntry]:
    """The rows as the page shows them, given the people (among those the rows are
    about) whom the reader may see."""
    return [_shown(entry, visible_person_ids) for entry in entries]


def _shown(entry: AuditEntry, visible_person_ids: set[int]) -> ShownEntry:
    model = entry.content_type.model_class()
    label = model._meta.label_lower if model else ""
    if entry.about_person_id is not None:
        not_shown = "" if entry.about_person_id in visible_person_ids else PERSON_NOT_SHOWN
    elif label in SET_UP_AND_STAFF:
        not_shown = ""
    else:
        not_shown = KIND_NOT_SHOWN
    if model is None:
        kind, not_shown = capfirst(entry.content_type.model), KIND_NOT_SHOWN
    else:
        kind = KIND_NAMES.get(label) or capfirst(model._meta.verbose_name)
    if not entry.object_pk:
        # One row for a whole list a page showed: it names the kind, never the rows.
        record = f"List of {model._meta.verbose_name_plural}" if model else kind
    else:
        record = f"{kind} {entry.object_pk}"
        if not not_shown and label not in NAMED_IN_FREE_TEXT and entry.object_repr:
            record = f"{record}: {entry.object_repr}"
    changes = [] if not_shown or model is None else _changes(entry, model)
    return ShownEntry(
        entry=entry,
        what=WHAT.get(entry.action, "Changed"),
        record=record,
        changes=changes,
        not_shown=not_shown if entry.changes_dict else "",
    )


def _changes(entry: AuditEntry, model: type[models.Model]) -> list[Change]:
    out = []
    for name, change in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and (_is_reverse(field) or field.primary_key):
            continue  # the record's number is already in the row; other records' links
        if _empty_both_sides(change):
            continue
        heading = capfirst(getattr(field, "verbose_name", None) or name.replace("_", " "))
        if is_free_text(model, name):
            out.append(Change(heading, "changed"))
        elif isinstance(change, dict):  # many-to-many: who or what was added or removed
            verb = "removed" if change.get("operation") == "delete" else "added"
            objects = ", ".join(str(o) for o in change.get("objects", []))
            out.append(Change(heading, f"{verb} {_short(objects)}"))
        elif isinstance(change, list | tuple) and len(change) == 2:
            old, new = (_value(field, v) for v in change)
            out.append(Change(heading, f"{old} → {new}"))
        else:
            out.append(Change(heading, _short(str(change))))
    return out


def _is_reverse(field) -> bool:
    return field.auto_created and not field.concrete and not field.many_to_many


def _empty_both_sides(change) -> bool:
    return (
        isinstance(change, list | tuple)
        and len(change) == 2
        and all(value is None or value in ("", "None") for value in change)
    )


def _value(field, value) -> str:
    if value is None or value in ("", "None"):
        return "(empty)"
    text = str(value)
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else None
    if choices:
        return str(choices.get(text, text))
    if isinstance(field, models.BooleanField):
        return {"True": "Yes", "False": "No"}.get(text, text)
    if isinstance(field, models.ForeignKey):
        return f"record {text}"
    if isinstance(field, models.DateTimeField):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return _short(text)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%d/%m/%Y %H:%M}"
    if isinstance(field, models.DateField):
        try:
            return f"{date.fromisoformat(text):%d/%m/%Y}"
        except ValueError:
            return _short(text)
    return _short(text)


def _short(text: str) -> str:
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"
