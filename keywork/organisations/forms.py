from django import forms

from keywork.core.fields import PlainMessages, RecordChoiceField, RecordMultipleChoiceField
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
            "note_interval_days",
            "plan_review_weeks",
            "risk_review_weeks",
        ]
        widgets = {
            "type": forms.RadioSelect,
            "note_interval_days": forms.NumberInput(attrs={"width": "3", "inputmode": "numeric"}),
            "plan_review_weeks": forms.NumberInput(attrs={"width": "3", "inputmode": "numeric"}),
            "risk_review_weeks": forms.NumberInput(attrs={"width": "3", "inputmode": "numeric"}),
        }
        labels = {"type": "Type of service"}
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
