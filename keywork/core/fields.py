"""Form fields every app uses: UK dates and times as people type them, and record ids
(fields and URL converters) that refuse what no database could hold.

A number too large for a 64-bit column reaches the database as an error on SQLite and
PostgreSQL alike; refusing it first turns it into an ordinary "not a valid choice"."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

_RECORD_ID = re.compile(r"[1-9][0-9]{0,17}")

UK_DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
CLOCK_FORMATS = ["%H:%M", "%H.%M", "%H%M"]
# The dates casework can be about. Outside them a typing slip ("01/01/0001") is far more
# likely than a real date, and the far ends of the calendar are where turning a day into
# London time, or adding a day to it, runs off the end of what Python can hold.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_EXAMPLE_DATE = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}")


def uk_date(
    label: str,
    required: bool = True,
    help_text: str = "For example, 27/03/1985",
    *,
    invalid: str = "",
    missing: str = "",
    out_of_range: str = "",
) -> forms.DateField:
    """A date typed as people in the UK write it (27/03/1985; 27-03-1985 and 27.03.1985
    too), from 1900 to 2100, with messages that name the field and give the example of
    its hint."""
    found = _EXAMPLE_DATE.search(help_text)
    example = found.group() if found else "27/03/1985"
    out_of_range = out_of_range or (
        f"Enter the {label.lower()} as a date between {EARLIEST_DATE.year} and "
        f"{LATEST_DATE.year}, like {example}"
    )
    return forms.DateField(
        label=label,
        required=required,
        input_formats=UK_DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"width": "10"}, format="%d/%m/%Y"),
        validators=[
            MinValueValidator(EARLIEST_DATE, message=out_of_range),
            MaxValueValidator(LATEST_DATE, message=out_of_range),
        ],
        error_messages={
            "invalid": invalid or f"Enter the {label.lower()} as a real date, like {example}",
            "required": missing or f"Enter the {label.lower()}",
        },
    )


def clock_time(what: str) -> forms.TimeField:
    """A time of day on the 24-hour clock (14:30; 14.30 and 1430 too)."""
    return forms.TimeField(
        label="Time",
        input_formats=CLOCK_FORMATS,
        help_text="24-hour clock, for example 14:30",
        widget=forms.TimeInput(attrs={"width": "5"}, format="%H:%M"),
        error_messages={
            "required": f"Enter the time of the {what}",
            "invalid": "Enter the time like 14:30",
        },
    )


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
