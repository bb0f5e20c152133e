from django import forms

from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date
from keywork.housing.models import (
    HousingApplication,
    MoveOnPlan,
    Property,
    SustainmentCheck,
    Tenancy,
)


class PropertyForm(PlainMessages, forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Give the property a name"}
    )
    address = forms.CharField(
        label="Address", max_length=300, error_messages={"required": "Enter the address"}
    )
    type = forms.ChoiceField(
        label="Type",
        choices=Property.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of property"},
    )


class UnitForm(PlainMessages, forms.Form):
    name = forms.CharField(
        label="Room or flat",
        max_length=100,
        help_text="For example, Room 3 or Flat 2B.",
        error_messages={"required": "Name the room or flat"},
    )
    capacity = forms.IntegerField(
        label="Beds",
        min_value=1,
        max_value=50,
        initial=1,
        widget=forms.NumberInput(attrs={"width": "2", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of beds",
            "invalid": "Enter the number of beds as a whole number",
            "min_value": "A unit has at least 1 bed",
            "max_value": "A unit has at most 50 beds",
        },
    )
    opened_on = uk_date("In use from", help_text="For example, 01/04/2026")


class MoveInForm(PlainMessages, forms.Form):
    unit = RecordChoiceField(
        label="Room or flat",
        queryset=None,
        empty_label="Choose a room or flat",
        error_messages={"required": "Choose the room or flat"},
    )
    kind = forms.ChoiceField(
        label="Type of agreement",
        choices=Tenancy.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of agreement"},
    )
    start_date = uk_date("Moved in", help_text="For example, 27/11/2026")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MoveOutForm(PlainMessages, forms.Form):
    end_date = uk_date("Moved out", help_text="For example, 27/11/2026")


class MoveOnPlanForm(PlainMessages, forms.Form):
    readiness = forms.ChoiceField(
        label="How ready are they to move on?",
        choices=MoveOnPlan.Readiness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how ready they are"},
    )
    barriers = forms.CharField(
        label="What stands in the way", max_length=5000, required=False, widget=forms.Textarea
    )


class ApplicationForm(PlainMessages, forms.Form):
    route = forms.ChoiceField(
        label="Where to",
        choices=HousingApplication.Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the application is to"},
    )
    band = forms.CharField(
        label="Band or priority",
        max_length=30,
        required=False,
        help_text="For the council housing register, for example Band B.",
    )
    applied_on = uk_date("Date applied", help_text="For example, 27/11/2026")
    status = forms.ChoiceField(
        label="Where it has got to",
        choices=HousingApplication.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where it has got to"},
    )
    status_on = uk_date("Date of that", help_text="For example, 27/11/2026")
    note = forms.CharField(label="Note", max_length=300, required=False)


class ApplicationStatusForm(PlainMessages, forms.Form):
    status = ApplicationForm.base_fields["status"]
    status_on = ApplicationForm.base_fields["status_on"]
    note = ApplicationForm.base_fields["note"]


class SustainmentForm(PlainMessages, forms.Form):
    months = forms.TypedChoiceField(
        label="Which check",
        coerce=int,
        choices=SustainmentCheck._meta.get_field("months").choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which check this is"},
    )
    checked_on = uk_date("Date checked", help_text="For example, 27/02/2027")
    still_housed = forms.TypedChoiceField(
        label="Are they still housed?",
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they are still housed"},
    )
    where = forms.CharField(label="Where they live now", max_length=300, required=False)
    how_known = forms.ChoiceField(
        label="How we know",
        choices=SustainmentCheck.HowKnown.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how we know"},
    )
