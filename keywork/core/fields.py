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


# Django's own words for these name no field ("Ensure this value has at most 500
# characters"): every form says them with the field's name instead.
def _plain_messages(field: forms.Field) -> dict[str, str]:
    # The label up to its first comma or bracket: "estimated age", not its explanation.
    label = re.split(r"[,(]", str(field.label or "this"))[0].strip().rstrip("?:").lower()
    messages: dict[str, str] = {}
    # The limits come from the validator that refused the value (%(limit_value)s), so the
    # message is right whichever of the field's limits it was.
    if getattr(field, "max_length", None):
        messages["max_length"] = f"The {label} must be %(limit_value)d characters or fewer"
    if getattr(field, "min_length", None):
        messages["min_length"] = f"The {label} must be at least %(limit_value)d characters"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"Enter the {label} as a number"
        messages["max_value"] = f"The {label} must be %(limit_value)s or less"
        messages["min_value"] = f"The {label} must be %(limit_value)s or more"
    if isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter the {label} as an email address, like name@example.org"
    return messages


class PlainMessages:
    """A form mixin: the messages Django would word without the field's name are given
    with it, unless the field says its own."""

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            defaults = type(field).default_error_messages
            for code, message in _plain_messages(field).items():
                own = field.error_messages.get(code)
                if own is None or own == defaults.get(code) or _is_djangos(field, code, own):
                    field.error_messages[code] = message


def _is_djangos(field: forms.Field, code: str, message: str) -> bool:
    """A message that is one of Django's own for this code, from any base field."""
    for klass in type(field).__mro__:
        if getattr(klass, "default_error_messages", {}).get(code) == message:
            return True
    return False
