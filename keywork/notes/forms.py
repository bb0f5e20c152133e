from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from keywork.core.fields import (
    PlainMessages,
    RecordChoiceField,
    RecordMultipleChoiceField,
    clock_time,
    uk_date,
)
from keywork.notes.models import FileNote
from keywork.people.models import Referral


def local_moment(data: dict, day: str, time: str):
    """The day and time fields as one aware moment in Keywork's time zone, or None."""
    if data.get(day) and data.get(time):
        return timezone.make_aware(
            timezone.datetime.combine(data[day], data[time]), timezone.get_current_timezone()
        )
    return None


class BelongsToField(forms.ChoiceField):
    """The episode of support or, before support starts, the referral that a note or an
    appointment belongs to, in one choice; its value is the episode or the referral. An
    episode is offered by its id, as the form has always sent it; a referral as
    "referral-<id>"."""

    def offer(self, episodes, referrals) -> None:
        self.records: dict[str, Any] = {choice_for(r): r for r in [*episodes, *referrals]}
        self.choices = [(value, _label_of(obj)) for value, obj in self.records.items()]
        if not episodes:
            self.label = "Referral"
        elif referrals:
            self.label = "Support episode or referral"

    def clean(self, value):
        value = super().clean(value)
        return self.records.get(value) if value else None


def choice_for(record) -> str | None:
    """The value that offers an episode or a referral in a BelongsToField."""
    if record is None:
        return None
    return f"referral-{record.pk}" if isinstance(record, Referral) else str(record.pk)


def _label_of(record) -> str:
    if not isinstance(record, Referral) or record.status in Referral.OPEN_STATUSES:
        return str(record)
    return f"{record} ({record.get_status_display().lower()})"


def _split_belongs_to(data: dict) -> None:
    """The one choice as the two arguments the services take."""
    chosen = data.get("episode")
    data["referral"] = chosen if isinstance(chosen, Referral) else None
    data["episode"] = None if isinstance(chosen, Referral) else chosen


class NoteForm(PlainMessages, forms.Form):
    episode = BelongsToField(
        label="Support episode",
        error_messages={"required": "Choose the episode or referral this note belongs to"},
    )
    contact_type = forms.ChoiceField(
        label="Type of contact",
        # A case discussion in supervision is written from the supervision record.
        choices=[
            choice
            for choice in FileNote.ContactType.choices
            if choice[0] != FileNote.ContactType.SUPERVISION
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of contact"},
    )
    contact_date = uk_date("Date of the contact", help_text="For example, 27/11/2026")
    contact_time = clock_time("contact")
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=0,
        max_value=24 * 60,
        initial=0,
        widget=forms.NumberInput(attrs={"width": "4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the duration in minutes (0 if none)",
            "invalid": "Enter the duration as a whole number of minutes",
            "min_value": "The duration cannot be negative",
            "max_value": "The duration cannot be more than 24 hours (1,440 minutes)",
        },
    )
    place = forms.CharField(label="Place", max_length=200, required=False)
    staff_present = RecordMultipleChoiceField(
        label="Other staff present",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others_present = forms.CharField(
        label="Others present",
        max_length=300,
        required=False,
        help_text="For example, a GP or a family member.",
    )
    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter a subject"}
    )
    text = forms.CharField(
        label="Note",
        max_length=50_000,
        widget=forms.Textarea,
        help_text="Leave a blank line between paragraphs. Start lines with - for a list.",
        error_messages={"required": "Write the note"},
    )
    restricted = forms.BooleanField(
        label="Restricted: only me, the named staff and the service's managers may read it",
        required=False,
    )
    named_staff = RecordMultipleChoiceField(
        label="Staff who may read a restricted note",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    goals = RecordMultipleChoiceField(
        label="Goals this contact worked on",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions = RecordMultipleChoiceField(
        label="Actions this contact worked on",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    follow_up = forms.CharField(
        label="Follow-up to do",
        max_length=300,
        required=False,
        help_text="It goes on the task list of the person you choose.",
    )
    follow_up_for = RecordChoiceField(
        label="Who will do it", queryset=None, required=False, empty_label="Me"
    )
    follow_up_by = uk_date(
        "By when",
        required=False,
        help_text="For example, 04/12/2026",
        invalid="Enter the follow-up date like 04/12/2026",
    )

    def __init__(self, *args, episodes, referrals, staff, goals, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episode"].offer(episodes, referrals)  # type: ignore[attr-defined]
        self.fields["goals"].queryset = goals
        self.fields["goals"].label_from_instance = lambda g: f"{g.domain}: “{g}”"
        self.fields["actions"].queryset = actions
        self.fields["actions"].label_from_instance = lambda a: f"{a.what} (by {a.due_on:%d/%m/%Y})"
        for name in ("staff_present", "named_staff", "follow_up_for"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = lambda u: u.full_name

    def clean(self):
        data = super().clean()
        if moment := local_moment(data, "contact_date", "contact_time"):
            data["contact_at"] = moment
            # Said with the other errors, not after them (the service checks it too).
            if moment > timezone.now() + timedelta(days=1):
                self.add_error(
                    "contact_date", "The contact cannot be more than a day in the future"
                )
        _split_belongs_to(data)
        if data.get("restricted") and not data.get("named_staff"):
            self.add_error("named_staff", "Name at least one other member of staff who may read it")
        if data.get("follow_up") and not data.get("follow_up_by"):
            self.add_error("follow_up_by", "Enter the date the follow-up is due")
        if data.get("follow_up_by") and not data.get("follow_up"):
            self.add_error("follow_up", "Say what must be done")
        return data


class AmendForm(PlainMessages, forms.Form):
    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter a subject"}
    )
    text = forms.CharField(
        label="Note",
        max_length=50_000,
        widget=forms.Textarea,
        error_messages={"required": "Write the note"},
    )
    reason = forms.CharField(
        label="Why are you amending it?",
        max_length=300,
        error_messages={"required": "Say why the note is being amended"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VoidForm(PlainMessages, forms.Form):
    reason = forms.CharField(
        label="Why is this note being voided?",
        max_length=300,
        help_text="For example, it was written on the wrong person's record.",
        error_messages={"required": "Say why the note is being voided"},
    )


class AppointmentForm(PlainMessages, forms.Form):
    episode = BelongsToField(
        label="Support episode",
        error_messages={"required": "Choose the episode or referral"},
    )
    kind = forms.ChoiceField(
        label="What kind of appointment",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Choose the kind of appointment"},
    )
    day = uk_date(
        "Date", help_text="For example, 27/11/2026", invalid="Enter the date like 27/11/2026"
    )
    time = clock_time("appointment")
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=5,
        max_value=24 * 60,
        initial=60,
        widget=forms.NumberInput(attrs={"width": "4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how long it will take",
            "invalid": "Enter the duration as a whole number of minutes",
            "min_value": "The duration must be at least 5 minutes",
            "max_value": "The duration cannot be more than 24 hours",
        },
    )
    place = forms.CharField(label="Place", max_length=200, required=False)
    staff = RecordMultipleChoiceField(
        label="Staff who will be there",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who from the staff will be there"},
    )

    alerts_read = forms.BooleanField(
        label="I have read the alerts and will keep to them, or have agreed otherwise "
        "with my manager",
        required=False,
        widget=forms.HiddenInput,
    )
    clash_ok = forms.BooleanField(
        label="Keep this time: I know I have another appointment then",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, episodes, referrals, staff, **kwargs):
        from keywork.notes.models import Appointment

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Appointment.Kind.choices
        self.fields["episode"].offer(episodes, referrals)  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda u: u.full_name

    def clean(self):
        data = super().clean()
        if moment := local_moment(data, "day", "time"):
            data["starts_at"] = moment
            _check_ahead(self, moment)
        _split_belongs_to(data)
        return data


class AppointmentNoteForm(PlainMessages, forms.Form):
    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter a subject"}
    )
    text = forms.CharField(
        label="Note",
        max_length=50_000,
        widget=forms.Textarea,
        error_messages={"required": "Write the note"},
    )


class CalendarForm(PlainMessages, forms.Form):
    full_names = forms.BooleanField(
        label="Show people's full names in my calendar",
        required=False,
        help_text="Leave this off if other people or apps can see your calendar: "
        "initials are shown instead.",
    )


class AttachmentForm(PlainMessages, forms.Form):
    file = forms.FileField(
        label="File",
        help_text="A PDF, a photo (JPEG, PNG, GIF, WebP) or an office document (Word, Excel, "
        "PowerPoint, OpenDocument), 20 MB at most.",
        error_messages={"required": "Choose the file to attach", "empty": "The file is empty"},
    )


def _check_ahead(form: forms.Form, moment) -> None:
    """Said with the other errors, not after them (the service checks it too)."""
    if moment < timezone.now() - timedelta(days=1):
        form.add_error("day", "Appointments are planned ahead: the date has passed")


class AppointmentChangeForm(PlainMessages, forms.Form):
    day = uk_date(
        "Date", help_text="For example, 27/11/2026", invalid="Enter the date like 27/11/2026"
    )
    time = clock_time("appointment")
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=5,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"width": "4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how long it will take",
            "invalid": "Enter the duration as a whole number of minutes",
            "min_value": "The duration must be at least 5 minutes",
            "max_value": "The duration cannot be more than 24 hours",
        },
    )
    place = forms.CharField(
        label="Place",
        max_length=200,
        required=False,
        error_messages={"max_length": "The place must be 200 characters or fewer"},
    )
    clash_ok = forms.BooleanField(
        label="Keep this time: I know I have another appointment then",
        required=False,
        widget=forms.HiddenInput,
    )

    def clean(self):
        data = super().clean()
        if moment := local_moment(data, "day", "time"):
            _check_ahead(self, moment)
        return data


class AppointmentCancelForm(PlainMessages, forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why the appointment is cancelled",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )
