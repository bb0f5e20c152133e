from datetime import datetime

from django import forms
from django.utils import timezone

from keywork.core.fields import (
    PlainMessages,
    RecordChoiceField,
    RecordMultipleChoiceField,
    clock_time,
    uk_date,
)
from keywork.oncall.models import DAY_CHOICES, Line, LogEntry, Nation


def _at(day, clock) -> datetime | None:
    if day is None or clock is None:
        return None
    return timezone.make_aware(datetime.combine(day, clock))


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class RotaForm(PlainMessages, Versioned):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="For example, Bristol out of hours",
        error_messages={"required": "Give the rota a name"},
    )
    services = RecordMultipleChoiceField(
        label="Services it covers",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one service the rota covers"},
    )
    nation = forms.ChoiceField(
        label="Bank holidays of",
        choices=Nation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whose bank holidays the rota keeps"},
    )

    def __init__(self, *args, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services


def _worker_field(label: str = "Who") -> RecordChoiceField:
    return RecordChoiceField(
        label=label, queryset=None, error_messages={"required": "Choose who is on call"}
    )


def _line_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Line",
        choices=Line.choices,
        widget=forms.RadioSelect,
        initial=Line.FIRST,
        error_messages={"required": "Choose the line"},
    )


class ShiftForm(PlainMessages, Versioned):
    """One shift: from a day and time to a day and time."""

    line = _line_field()
    worker = _worker_field()
    start_day = uk_date("Start date", help_text="For example, 24/12/2026")
    start_time = clock_time("start of the shift")
    end_day = uk_date("End date", help_text="For example, 25/12/2026")
    end_time = clock_time("end of the shift")
    notes = forms.CharField(label="Notes (optional)", max_length=300, required=False)

    def __init__(self, *args, workers, with_line: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["start_time"].label = "Start time"
        self.fields["end_time"].label = "End time"
        if not with_line:
            del self.fields["line"]

    @property
    def starts_at(self) -> datetime | None:
        return _at(self.cleaned_data.get("start_day"), self.cleaned_data.get("start_time"))

    @property
    def ends_at(self) -> datetime | None:
        return _at(self.cleaned_data.get("end_day"), self.cleaned_data.get("end_time"))


class PatternForm(PlainMessages, Versioned):
    line = _line_field()
    worker = _worker_field()
    days = forms.MultipleChoiceField(
        label="Days",
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="On a bank holiday only the patterns that name bank holidays run",
        error_messages={"required": "Choose the days the shift runs on"},
    )
    starts_at = clock_time("start of the shift")
    ends_at = clock_time("end of the shift")
    first_date = uk_date("From", help_text="For example, 01/01/2027")
    last_date = uk_date("Until", help_text="For example, 31/03/2027")

    def __init__(self, *args, workers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["starts_at"].label = "Starts at"
        self.fields["ends_at"].label = "Ends at"
        self.fields["ends_at"].help_text = "At or before the start time: the next morning"


class SwapForm(PlainMessages, Versioned):
    other = RecordChoiceField(
        label="Swap with",
        queryset=None,
        error_messages={"required": "Choose the shift to swap with"},
    )

    def __init__(self, *args, shifts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = shifts
        self.fields["other"].label_from_instance = lambda s: (
            f"{timezone.localtime(s.starts_at):%a %d %b %H:%M}, {s.worker.full_name} "
            f"({s.get_line_display().lower()})"
        )


class NumberForm(PlainMessages, forms.Form):
    number = forms.CharField(
        label="Phone number for on call",
        max_length=20,
        help_text="Shown only to staff, on the rota and to those on call",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "Enter a phone number"},
    )


class TimeOffForm(PlainMessages, forms.Form):
    worker = _worker_field("Who is away")
    first_day = uk_date("First day away", help_text="For example, 04/01/2027")
    last_day = uk_date("Last day away", help_text="For example, 08/01/2027")

    def __init__(self, *args, workers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class LogEntryForm(PlainMessages, forms.Form):
    """A call, written quickly on a phone: the times default to now."""

    call_day = uk_date("Date of the call", help_text="For example, 01/12/2026")
    call_time = clock_time("call")
    caller = forms.ChoiceField(
        label="Who called",
        choices=LogEntry.Caller.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who called"},
    )
    caller_name = forms.CharField(
        label="Caller's name or agency (optional)", max_length=150, required=False
    )
    person = RecordChoiceField(
        label="About whom",
        queryset=None,
        required=False,
        empty_label="Not known, or not listed",
    )
    not_known = forms.CharField(
        label="If not listed: who it was about, as far as you know",
        max_length=200,
        required=False,
    )
    service = RecordChoiceField(
        label="Service (for someone not listed)",
        queryset=None,
        required=False,
        empty_label="Choose the service",
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        error_messages={"required": "Say what happened"},
    )
    advice = forms.CharField(label="Advice given", widget=forms.Textarea, required=False)
    action_taken = forms.CharField(label="What was done", widget=forms.Textarea, required=False)
    escalated_to = forms.CharField(
        label="Escalated to (optional)",
        max_length=150,
        required=False,
        help_text="For example, second on call, the manager on call",
    )
    escalated_time = forms.TimeField(
        label="Escalated at (optional)",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TimeInput(attrs={"width": "5"}, format="%H:%M"),
        help_text="For example, 03:20",
        error_messages={"invalid": "Enter the time it was escalated as a 24-hour time, like 03:20"},
    )
    escalation_answer = forms.CharField(label="Their answer", widget=forms.Textarea, required=False)
    police = forms.BooleanField(label="Police involved", required=False)
    ambulance = forms.BooleanField(label="Ambulance involved", required=False)
    fire = forms.BooleanField(label="Fire service involved", required=False)
    serious = forms.BooleanField(label="Serious: it may need an incident report", required=False)
    follow_up = forms.CharField(
        label="Follow-up for the day team (optional)",
        max_length=300,
        required=False,
        help_text="It goes to the person's key worker, or the service's senior",
    )
    follow_up_due = uk_date("Follow up by", required=False, help_text="For example, 02/12/2026")

    def __init__(self, *args, people, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["service"].queryset = services
        self.fields["call_time"].label = "Time of the call"

    @property
    def call_at(self) -> datetime | None:
        return _at(self.cleaned_data.get("call_day"), self.cleaned_data.get("call_time"))

    @property
    def escalated_at(self) -> datetime | None:
        clock = self.cleaned_data.get("escalated_time")
        call_at = self.call_at
        if clock is None or call_at is None:
            return None
        at = _at(timezone.localdate(call_at), clock)
        # Escalated at 00:10 after a call at 23:50: the next day.
        if at is not None and at < call_at and (call_at - at).total_seconds() > 12 * 3600:
            at += timezone.timedelta(days=1)
        return at


class AmendForm(PlainMessages, forms.Form):
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        error_messages={"required": "Say what happened"},
    )
    advice = forms.CharField(label="Advice given", widget=forms.Textarea, required=False)
    action_taken = forms.CharField(label="What was done", widget=forms.Textarea, required=False)
    reason = forms.CharField(
        label="Why you are correcting it",
        max_length=300,
        error_messages={"required": "Say why the entry is corrected"},
    )
