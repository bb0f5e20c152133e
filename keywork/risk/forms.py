from django import forms
from django.utils import timezone

from keywork.core.fields import (
    PlainMessages,
    RecordChoiceField,
    RecordMultipleChoiceField,
    clock_time,
    uk_date,
)
from keywork.notes.forms import local_moment
from keywork.risk.models import Incident, Level, RiskArea, SafeguardingReferral
from keywork.risk.services import AREA_TEXTS

AREA_LABELS = {
    "history": "What has happened before",
    "triggers": "Triggers",
    "warning_signs": "Early warning signs",
    "management_plan": "How it is managed",
}


class RiskAssessmentForm(PlainMessages, forms.Form):
    """Every area of risk with its level and four texts; an area left wholly empty is not
    assessed. The version is the one the user opened, for the version check."""

    overall = forms.ChoiceField(
        label="Overall level of risk",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the overall level of risk"},
    )
    summary = forms.CharField(
        label="Summary and how risk is managed",
        help_text="Needed when the overall level is high.",
        max_length=10_000,
        required=False,
        widget=forms.Textarea,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overall_is_right = forms.BooleanField(
        label="The overall level is right, though an area is higher",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for domain in RiskArea.Domain.values:
            self.fields[f"level_{domain}"] = forms.ChoiceField(
                label="Level",
                choices=[("", "Not assessed"), *Level.choices],
                required=False,
                initial="",
                widget=forms.RadioSelect,
            )
            for name in AREA_TEXTS:
                self.fields[f"{name}_{domain}"] = forms.CharField(
                    label=AREA_LABELS[name],
                    max_length=5000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def domain_fields(self):
        """Each area with its level and texts, and whether it is open on the page: an
        area assessed or with an error is open, the others are one line each."""
        rows = []
        for domain, label in RiskArea.Domain.choices:
            level = self[f"level_{domain}"]
            texts = [self[f"{name}_{domain}"] for name in AREA_TEXTS]
            chosen = level.value() or ""
            has_errors = bool(level.errors) or any(t.errors for t in texts)
            typed = any(t.value() for t in texts)
            rows.append(
                {
                    "label": label,
                    "level": level,
                    "texts": texts,
                    "shown": dict(Level.choices).get(chosen, "Not assessed"),
                    "open": bool(chosen) or has_errors or typed,
                }
            )
        return rows

    def areas(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            domain: {
                "level": data.get(f"level_{domain}", ""),
                **{name: data.get(f"{name}_{domain}", "") for name in AREA_TEXTS},
            }
            for domain in RiskArea.Domain.values
        }

    @staticmethod
    def initial_from(assessment) -> dict:
        if assessment is None:
            return {}
        initial = {
            "overall": assessment.overall,
            "summary": assessment.summary,
            "version": assessment.version,
        }
        for area in assessment.areas.all():
            initial[f"level_{area.domain}"] = area.level
            for name in AREA_TEXTS:
                initial[f"{name}_{area.domain}"] = getattr(area, name)
        return initial


class IncidentForm(PlainMessages, forms.Form):
    service = RecordChoiceField(
        label="Service",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the service"},
    )
    type = forms.ChoiceField(
        label="Type of incident",
        choices=Incident.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of incident"},
    )
    severity = forms.ChoiceField(
        label="Severity",
        choices=Incident.Severity.choices,
        widget=forms.RadioSelect,
        help_text="A high (serious) incident tells the service's lead manager straight away.",
        error_messages={"required": "Choose how severe it was"},
    )
    day = uk_date("Date of the incident", help_text="For example, 27/11/2026")
    time = clock_time("incident")
    place = forms.CharField(
        label="Place", max_length=200, error_messages={"required": "Say where it happened"}
    )
    people = RecordMultipleChoiceField(
        label="People supported who were involved",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each person's record shows only their own part.",
    )
    staff_involved = RecordMultipleChoiceField(
        label="Staff involved",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others_involved = forms.CharField(
        label="Others involved",
        max_length=300,
        required=False,
        help_text="For example, a neighbour or a visitor.",
    )
    what_happened = forms.CharField(
        label="What happened",
        max_length=20_000,
        widget=forms.Textarea,
        error_messages={"required": "Say what happened"},
    )
    immediate_action = forms.CharField(
        label="What was done straight away",
        max_length=10_000,
        widget=forms.Textarea,
        error_messages={"required": "Say what was done straight away"},
    )

    def __init__(self, *args, services, people, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda p: f"{p.display_name} (record {p.pk})"
        self.fields["staff_involved"].queryset = staff
        self.fields["staff_involved"].label_from_instance = lambda u: u.full_name

    def clean(self):
        data = super().clean()
        if moment := local_moment(data, "day", "time"):
            data["occurred_at"] = moment
            # Said with the form's other errors, and on the date it is about (the
            # service checks it again, naming no field of this form).
            if moment > timezone.now():
                self.add_error("day", "An incident cannot be dated in the future.")
        return data


class TheirPartForm(PlainMessages, forms.Form):
    their_part = forms.CharField(
        label="What happened to or with them",
        max_length=10_000,
        widget=forms.Textarea,
        help_text="This is what their record shows of the incident.",
        error_messages={"required": "Write what the incident meant for them"},
    )


class SignOffForm(PlainMessages, forms.Form):
    manager_review = forms.CharField(
        label="Your review",
        max_length=10_000,
        widget=forms.Textarea,
        error_messages={"required": "Write your review of the incident"},
    )
    follow_up = forms.CharField(label="Follow-up to do", max_length=300, required=False)
    follow_up_owner = RecordChoiceField(
        label="Who will do it", queryset=None, required=False, empty_label="Choose someone"
    )
    follow_up_by = uk_date("Follow-up due by", required=False, help_text="For example, 04/12/2026")

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_owner"].queryset = staff
        self.fields["follow_up_owner"].label_from_instance = lambda u: u.full_name

    def clean(self):
        data = super().clean()
        if data.get("follow_up"):
            if not data.get("follow_up_owner"):
                self.add_error("follow_up_owner", "Choose who will do the follow-up")
            if not data.get("follow_up_by"):
                self.add_error("follow_up_by", "Enter the date the follow-up is due")
        return data

    def actions(self) -> list:
        data = self.cleaned_data
        if not data.get("follow_up"):
            return []
        return [(data["follow_up"], data["follow_up_owner"], data["follow_up_by"])]


class SafeguardingForm(PlainMessages, forms.Form):
    service = RecordChoiceField(
        label="Service",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the service"},
    )
    about = forms.ChoiceField(
        label="The concern is about",
        choices=SafeguardingReferral.About.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is about an adult or a child"},
    )
    concern = forms.CharField(
        label="The concern",
        max_length=10_000,
        widget=forms.Textarea,
        error_messages={"required": "Describe the concern"},
    )
    referred_to = forms.CharField(
        label="Referred to",
        max_length=200,
        help_text="For example, the council's adult safeguarding team.",
        error_messages={"required": "Say who it was referred to"},
    )
    referred_on = uk_date("Date referred", help_text="For example, 27/11/2026")
    reference = forms.CharField(label="Their reference", max_length=100, required=False)
    incident = RecordChoiceField(
        label="Incident it came from", queryset=None, required=False, empty_label="None"
    )

    def __init__(self, *args, services, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["incident"].queryset = incidents


class SafeguardingOutcomeForm(PlainMessages, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in SafeguardingReferral.Outcome.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    outcome_on = uk_date("Date of the outcome", help_text="For example, 27/11/2026")
