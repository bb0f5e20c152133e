from django import forms

from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date
from keywork.training.models import STAFF_ROLES


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class CourseForm(PlainMessages, Versioned):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Give the course a name"}
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    mandatory_for = forms.MultipleChoiceField(
        label="Mandatory for",
        choices=STAFF_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The roles whose staff must have done it",
    )
    renewal_months = forms.IntegerField(
        label="Renew every (months)",
        required=False,
        min_value=1,
        max_value=120,
        help_text="12 for safeguarding and first aid, 36 for most others; leave empty if "
        "it never needs renewing",
    )
    provider = forms.CharField(label="Usual provider", max_length=120, required=False)
    archived = forms.BooleanField(
        label="No longer offered (taken out of the matrix)", required=False
    )


class RecordForm(PlainMessages, Versioned):
    course = RecordChoiceField(
        label="Course", queryset=None, error_messages={"required": "Choose the course"}
    )
    completed_on = uk_date("Completed on", help_text="For example, 27/03/2026")
    expires_on = uk_date(
        "Expires on",
        required=False,
        help_text="For example, 27/03/2027. Leave empty to take it from the course's renewal "
        "interval",
    )
    provider = forms.CharField(label="Provider", max_length=120, required=False)
    hours = forms.DecimalField(
        label="Hours", required=False, min_value=0, max_value=1000, decimal_places=1
    )
    certificate = forms.FileField(
        label="Certificate",
        required=False,
        help_text="A PDF, JPEG or PNG file",
    )

    def __init__(self, *args, courses, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        if editing:
            del self.fields["course"]


class BookingForm(PlainMessages, forms.Form):
    course = RecordChoiceField(
        label="Course", queryset=None, error_messages={"required": "Choose the course"}
    )
    booked_for = uk_date("Booked for")
    provider = forms.CharField(label="Provider", max_length=120, required=False)

    def __init__(self, *args, courses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
