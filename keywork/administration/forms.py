"""The forms for running the organisation: staff and roles, set-up, the audit."""

from django import forms

from keywork.accounts.models import Role
from keywork.core.fields import (
    PlainMessages,
    RecordChoiceField,
    RecordMultipleChoiceField,
    uk_date,
)
from keywork.organisations.models import Area, Service, Team


class AreaForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "kind"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": "Kind of area"}


class ServiceForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "type",
            "area",
            "commissioner",
            "nation",
            "note_interval_days",
            "plan_review_weeks",
            "risk_review_weeks",
        ]
        widgets = {
            "type": forms.RadioSelect,
            "nation": forms.RadioSelect,
            "note_interval_days": forms.NumberInput(attrs={"width": "3", "inputmode": "numeric"}),
            "plan_review_weeks": forms.NumberInput(attrs={"width": "3", "inputmode": "numeric"}),
            "risk_review_weeks": forms.NumberInput(attrs={"width": "3", "inputmode": "numeric"}),
        }
        labels = {"type": "Type of service", "nation": "Bank holidays of"}
        field_classes = {"area": RecordChoiceField}

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].empty_label = "Choose an area"


class TeamForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "services"]
        widgets = {"services": forms.CheckboxSelectMultiple}
        labels = {"services": "Services this team works in"}
        field_classes = {"services": RecordMultipleChoiceField}

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services


class RoleForm(PlainMessages, forms.Form):
    """A role and where it applies: a team for staff, a service for a commissioner."""

    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )
    team = RecordChoiceField(
        label="Team",
        help_text="For everyone but administrators and commissioners.",
        queryset=None,
        required=False,
        empty_label="Choose a team",
    )
    service = RecordChoiceField(
        label="Service they fund",
        help_text="For commissioners only.",
        queryset=None,
        required=False,
        empty_label="Choose a service",
    )

    def __init__(self, *args, teams, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["service"].queryset = services


class InvitationForm(RoleForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    field_order = ["full_name", "email", "role", "team", "service"]


class AuditSearchForm(PlainMessages, forms.Form):
    user = RecordChoiceField(label="Who", queryset=None, required=False, empty_label="Anyone")
    record_type = RecordChoiceField(
        label="Kind of record", queryset=None, required=False, empty_label="Any record"
    )
    record_id = forms.CharField(
        label="Record number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"width": "5", "inputmode": "numeric"}),
    )
    date_from = uk_date(
        "From (for example 27/11/2026)",
        required=False,
        help_text="",
        invalid="Enter the from date like 27/11/2026",
        out_of_range="Enter the from date as a date between 1900 and 2100",
    )
    date_to = uk_date(
        "To (for example 27/11/2026)",
        required=False,
        help_text="",
        invalid="Enter the to date like 27/11/2026",
        out_of_range="Enter the to date as a date between 1900 and 2100",
    )

    def __init__(self, *args, users, record_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["record_type"].queryset = record_types
        self.fields["record_type"].label_from_instance = lambda ct: ct.name.capitalize()

    def clean(self):
        data = super().clean()
        if data.get("record_id") and not data.get("record_type"):
            self.add_error("record_type", "Choose the kind of record the number belongs to")
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return data
