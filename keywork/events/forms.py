from django import forms

from keywork.core.fields import (
    PlainMessages,
    RecordChoiceField,
    RecordMultipleChoiceField,
    clock_time,
    uk_date,
)
from keywork.events.models import Event, SignUp


def _starts(what: str) -> forms.TimeField:
    field = clock_time(what)
    field.label = "Starts at"
    return field


def _ends(what: str) -> forms.TimeField:
    field = clock_time(what)
    field.label = "Ends at"
    field.error_messages["required"] = f"Enter the time the {what} ends"
    return field


class EventDetailsForm(PlainMessages, forms.Form):
    """What can be changed after an event is made: its details and its places."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Cooking group",
        error_messages={"required": "Give the event a title"},
    )
    kind = forms.ChoiceField(
        label="Type",
        choices=Event.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of event"},
    )
    venue = forms.CharField(
        label="Venue", max_length=300, error_messages={"required": "Enter the venue"}
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=500,
        widget=forms.NumberInput(attrs={"width": "3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a whole number",
            "min_value": "An event has at least 1 place",
            "max_value": "An event has at most 500 places",
        },
    )
    organisers = RecordMultipleChoiceField(
        label="Organisers", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    cost = forms.DecimalField(
        label="Cost to the person, in pounds",
        min_value=0,
        max_value=10000,
        decimal_places=2,
        initial=0,
        help_text="0 if it is free",
        widget=forms.NumberInput(attrs={"width": "5", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the cost, 0 if it is free",
            "invalid": "Enter the cost in pounds, for example 2.50",
            "min_value": "The cost cannot be less than nothing",
            "max_value": "The cost can be at most 10000 pounds",
        },
    )
    what_to_bring = forms.CharField(
        label="What to bring",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accessibility = forms.CharField(
        label="Accessibility notes",
        required=False,
        max_length=2000,
        help_text="For example, step-free access, hearing loop",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=4000,
        help_text="What happens there, for the people it is for",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisers=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = organisers
        self.fields["organisers"].label_from_instance = lambda u: u.full_name


class EventEditForm(EventDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(event: Event) -> dict:
        return {
            **{name: getattr(event, name) for name in EDITABLE},
            "organisers": [u.pk for u in event.organisers.all()],
            "version": event.version,
        }


EDITABLE = (
    "title",
    "kind",
    "venue",
    "capacity",
    "cost",
    "what_to_bring",
    "accessibility",
    "description",
)


class EventForm(EventDetailsForm):
    field_order = [
        "title",
        "kind",
        "services",
        "repeat",
        "first_date",
        "until",
        "starts_at",
        "ends_at",
        "venue",
        "capacity",
        "organisers",
        "cost",
        "what_to_bring",
        "accessibility",
        "description",
    ]
    services = RecordMultipleChoiceField(
        label="For the people of",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the service or services the event is for"},
    )
    repeat = forms.ChoiceField(
        label="How often",
        choices=Event.Repeat.choices,
        initial=Event.Repeat.ONCE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often it meets"},
    )
    first_date = uk_date("Date", help_text="The first session's date, for example 01/12/2026")
    until = uk_date(
        "Last date",
        required=False,
        help_text="For a series: the date of its last session, within two years, for "
        "example 30/06/2027",
    )
    starts_at = _starts("event")
    ends_at = _ends("event")

    def __init__(self, *args, services=None, organisers=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, organisers=organisers, **kwargs)
        self.fields["services"].queryset = services

    def clean(self) -> dict:
        """What is wrong across fields, said with the rest at once (the service checks
        the same again)."""
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end time must be after the start time")
        first, until = data.get("first_date"), data.get("until")
        if (
            data.get("repeat", Event.Repeat.ONCE) != Event.Repeat.ONCE
            and "until" not in self.errors
        ):
            if until is None:
                self.add_error("until", "Give the date of the last session: a series needs an end")
            elif first and until < first:
                self.add_error("until", "The last date must be on or after the first")
        return data


class SignUpForm(PlainMessages, forms.Form):
    person = RecordChoiceField(
        label="Person",
        queryset=None,
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person to sign up",
            "invalid_choice": "Choose someone supported by this event's service",
        },
    )

    def __init__(self, *args, people=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: p.display_name


class WalkInForm(SignUpForm):
    """Offers only the people a name search found (offer()), but takes anyone the
    register may add, so that a search and the choice made from it need not agree."""

    person = RecordChoiceField(
        label="Who came",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Find the person by name, then choose them",
            "invalid_choice": "Choose someone supported by this event's service who is not "
            "on the register already",
        },
    )
    status = forms.ChoiceField(
        label="They",
        choices=[(SignUp.Status.ATTENDED, "Attended"), (SignUp.Status.LATE, "Arrived late")],
        initial=SignUp.Status.ATTENDED,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose attended or arrived late"},
    )

    def offer(self, people: list) -> None:
        self.fields["person"].choices = [(p.pk, p.display_name) for p in people]


class ReasonForm(PlainMessages, forms.Form):
    reason = forms.CharField(
        label="Why",
        max_length=300,
        error_messages={"required": "Say why"},
    )


class MoveForm(PlainMessages, forms.Form):
    day = uk_date("Date", help_text="For example, 08/12/2026")
    starts_at = _starts("session")
    ends_at = _ends("session")
    venue = forms.CharField(
        label="Venue", max_length=300, error_messages={"required": "Enter the venue"}
    )


class EndForm(PlainMessages, forms.Form):
    last_date = uk_date(
        "Last session on", help_text="Sessions after this date stop, for example 15/12/2026"
    )


class FeedForm(PlainMessages, forms.Form):
    action = forms.ChoiceField(choices=[("issue", "issue"), ("revoke", "revoke")])
