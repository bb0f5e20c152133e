from django import forms

from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date
from keywork.feedback.models import Complaint, Point, Remedy


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ComplaintForm(PlainMessages, forms.Form):
    service = RecordChoiceField(
        label="Service", queryset=None, error_messages={"required": "Choose the service"}
    )
    who = forms.ChoiceField(
        label="Who complained",
        choices=Complaint.Who.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who complained"},
    )
    complainant_name = forms.CharField(
        label="Their name (not for a person supported)", max_length=200, required=False
    )
    consent_recorded_on = uk_date(
        "The person's consent recorded on (for a family member or advocate)",
        required=False,
        help_text="For example, 20/11/2026",
    )
    how = forms.ChoiceField(
        label="How they complained",
        choices=Complaint.How.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they complained"},
    )
    about = forms.ChoiceField(
        label="What it is about",
        choices=Complaint.About.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the complaint is about"},
    )
    about_staff = RecordChoiceField(
        label="The member of staff it is about", queryset=None, required=False
    )
    summary = forms.CharField(
        label="What the complaint is",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": "Enter what the complaint is"},
    )
    wanted = forms.CharField(
        label="What they want to happen",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Enter what they want to happen"},
    )
    received_on = uk_date("Received on", help_text="For example, 20/11/2026")
    handler = RecordChoiceField(
        label="Who will handle it",
        queryset=None,
        error_messages={"required": "Choose who will handle the complaint"},
    )
    straight_to_stage_2_reason = forms.CharField(
        label="Straight to stage 2? The reason (leave empty for stage 1)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, services, staff, handlers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["about_staff"].queryset = staff
        self.fields["handler"].queryset = handlers
        for name in ("about_staff", "handler", "service"):
            self.fields[name].empty_label = "Choose"
            self.fields[name].label_from_instance = lambda obj: getattr(obj, "full_name", str(obj))


class AcknowledgeForm(PlainMessages, Versioned):
    acknowledged_on = uk_date("Acknowledged on", help_text="For example, 24/11/2026")


class ExtendForm(PlainMessages, Versioned):
    extended_to = uk_date(
        "New date agreed for the answer",
        required=False,
        help_text="For example, 18/12/2026",
    )
    reason = forms.CharField(
        label="The reason, as given to the complainant",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


POINTS, REMEDIES = 3, 2


class RespondForm(PlainMessages, Versioned):
    responded_on = uk_date("Answered on", help_text="For example, 04/12/2026")
    decision = forms.CharField(
        label="The decision and the reasons for it",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        required=False,
    )
    still_to_do = forms.CharField(
        label="What is still to be done (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    learning = forms.CharField(
        label="What the service learnt and will do (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        outcomes = [("", "Choose"), *Point.Outcome.choices]
        kinds = [("", "None"), *Remedy.Kind.choices]
        for n in range(1, POINTS + 1):
            self.fields[f"point_{n}"] = forms.CharField(
                label=f"Point {n} of the complaint", max_length=2000, required=False
            )
            self.fields[f"point_{n}_outcome"] = forms.ChoiceField(
                label=f"Outcome of point {n}", choices=outcomes, required=False
            )
        for n in range(1, REMEDIES + 1):
            self.fields[f"remedy_{n}"] = forms.ChoiceField(
                label=f"Remedy {n}", choices=kinds, required=False
            )
            self.fields[f"remedy_{n}_details"] = forms.CharField(
                label=f"Remedy {n}: what", max_length=2000, required=False
            )
            self.fields[f"remedy_{n}_amount"] = forms.DecimalField(
                label=f"Remedy {n}: amount of a payment, in pounds",
                max_digits=9,
                decimal_places=2,
                min_value=0,
                required=False,
            )

    def clean(self):
        data = super().clean()
        for n in range(1, POINTS + 1):
            if data.get(f"point_{n}") and not data.get(f"point_{n}_outcome"):
                self.add_error(f"point_{n}_outcome", f"Choose the outcome of point {n}")
        for n in range(1, REMEDIES + 1):
            if data.get(f"remedy_{n}") == Remedy.Kind.PAYMENT and not data.get(
                f"remedy_{n}_amount"
            ):
                self.add_error(f"remedy_{n}_amount", "Enter the amount of the payment")
        return data


class EscalateForm(PlainMessages, Versioned):
    asked_on = uk_date("Asked to escalate on", help_text="For example, 08/12/2026")
    reason = forms.CharField(
        label="Why they are not satisfied",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    handler = RecordChoiceField(
        label="Who will handle stage 2",
        queryset=None,
        error_messages={"required": "Choose who will handle stage 2"},
    )

    def __init__(self, *args, handlers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].empty_label = "Choose"
        self.fields["handler"].label_from_instance = lambda obj: obj.full_name
