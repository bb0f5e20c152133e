"""Form fields and URL converters for record ids that refuse what no database could hold.

A number too large for a 64-bit column reaches the database as an error on SQLite and
PostgreSQL alike; refusing it first turns it into an ordinary "not a valid choice"."""

import re

from django import forms
from django.core.exceptions import ValidationError

_RECORD_ID = re.compile(r"[1-9][0-9]{0,17}")


def is_record_id(value) -> bool:
    return value is not None and _RECORD_ID.fullmatch(str(value).strip()) is not None


def record_id_in(value) -> int | None:
    """The record id in a link's query string (`?worker=12`), or None for anything else:
    str.isdigit() alone would let through "²", which int() refuses."""
    return int(str(value).strip()) if is_record_id(value) else None


class RecordChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not is_record_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RecordMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not is_record_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class RecordIdConverter:
    """`<id:name>` in a URL: a record id, or no match at all (so a 404)."""

    regex = _RECORD_ID.pattern

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
