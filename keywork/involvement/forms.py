import re
from datetime import date

from django import forms
from django.utils import timezone

from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date
from keywork.involvement.models import InvolvementSession, Participation
from keywork.involvement.services import HELD_LATER

EXAMPLE = "For example, 27/11/2026"


class SessionForm(PlainMessages, forms.Form):
    service = RecordChoiceField(
        queryset=None,
        label="Service",
        empty_label="Choose a service",
        error_messages={"required": "Choose the service"},
    )
    kind = forms.ChoiceField(
        label="What kind of involvement",
        choices=InvolvementSession.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of involvement it was"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    held_on = uk_date("Held on", help_text=EXAMPLE)
    decided = forms.CharField(
        label="What was decided",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything else about how it went. Name no one: who took part is "
        "recorded below it.",
    )

    def __init__(self, *args, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services

    def clean_held_on(self) -> date:
        # Said with the form's other mistakes, not only once they are put right (the
        # service checks it too).
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(HELD_LATER)
        return held_on


class SessionEditForm(SessionForm):
    """The session as written, to correct: its service stays (who took part and the
    actions belong to it)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={
            "required": "The page was missing a part: open the session again.",
            "invalid": "The page was missing a part: open the session again.",
            "min_value": "The page was missing a part: open the session again.",
            "max_value": "The page was missing a part: open the session again.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, services=None, **kwargs)
        del self.fields["service"]

    @staticmethod
    def initial_for(session: InvolvementSession) -> dict:
        return {
            "kind": session.kind,
            "title": session.title,
            "held_on": session.held_on,
            "decided": session.decided,
            "notes": session.notes,
            "version": session.version,
        }


class ParticipantForm(PlainMessages, forms.Form):
    person = RecordChoiceField(
        queryset=None,
        label="Who took part",
        empty_label="Choose a person",
        error_messages={"required": "Choose who took part"},
    )
    role = forms.ChoiceField(label="Their role", choices=Participation.Role.choices)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ActionForm(PlainMessages, forms.Form):
    what = forms.CharField(
        label="What will be done",
        max_length=300,
        error_messages={"required": "Enter what will be done"},
    )
    owner = RecordChoiceField(
        queryset=None,
        label="Who will do it",
        empty_label="Choose a member of staff",
        error_messages={"required": "Choose who will do it"},
    )
    due_on = uk_date("Due on", help_text=EXAMPLE)

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff
        self.fields["owner"].label_from_instance = lambda u: u.full_name


class SaidDidForm(PlainMessages, forms.Form):
    you_said = forms.CharField(
        label="You said",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what residents said"},
    )
    we_did = forms.CharField(
        label="We did",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the service did"},
    )


class DoneForm(PlainMessages, forms.Form):
    done_on = uk_date("Done on", help_text=EXAMPLE)


QUARTER = re.compile(r"(\d{4})-Q([1-4])")


def quarter_in(text: str | None) -> date | None:
    """The first day of the quarter written as 2026-Q3, or None if it is not one."""
    match = QUARTER.fullmatch((text or "").strip().upper())
    if match is None or not 1900 <= int(match[1]) <= 9999:
        return None
    return date(int(match[1]), 3 * int(match[2]) - 2, 1)


def quarter_name(first: date) -> str:
    """2026-Q3 for the quarter starting 1 July 2026: as the address writes it."""
    return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
