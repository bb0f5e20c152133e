from django import forms

from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date
from keywork.planning.models import Action, AssessmentArea, SupportPlan


class GoalForm(PlainMessages, forms.Form):
    domain = RecordChoiceField(
        label="Area of life",
        queryset=None,
        empty_label="Choose an area",
        error_messages={"required": "Choose the area of life"},
    )
    in_own_words = forms.CharField(
        label="The goal, in their own words",
        max_length=2000,
        widget=forms.Textarea,
        help_text="Write what they said, as they said it.",
        error_messages={"required": "Write the goal in their own words"},
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains


class ActionForm(PlainMessages, forms.Form):
    what = forms.CharField(
        label="What will be done",
        max_length=300,
        error_messages={"required": "Say what will be done"},
    )
    owner = forms.ChoiceField(
        label="Who will do it",
        choices=Action.Owner.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who will do it"},
    )
    owner_worker = RecordChoiceField(
        label="Which worker", queryset=None, required=False, empty_label="Choose a worker"
    )
    owner_agency = forms.CharField(label="Which agency", max_length=200, required=False)
    due_on = uk_date("Due by", help_text="For example, 31/12/2026")
    due_on.error_messages = {
        **due_on.error_messages,
        "required": "Enter the date it is due by",
        "invalid": "Enter the due date as a real date, like 31/12/2026",
    }

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_worker"].queryset = workers
        self.fields["owner_worker"].label_from_instance = lambda u: u.full_name

    def clean(self):
        data = super().clean()
        if data.get("owner") == Action.Owner.WORKER and not data.get("owner_worker"):
            self.add_error("owner_worker", "Choose the worker who will do it")
        if data.get("owner") == Action.Owner.AGENCY and not data.get("owner_agency", "").strip():
            self.add_error("owner_agency", "Name the agency that will do it")
        return data


class ActionStatusForm(PlainMessages, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        error_messages={"required": "Choose the action's status"},
    )
    # The plan's version when the page was opened, so a change made since is not undone.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Open the plan again: the page was out of date"},
    )


class PlanForm(PlainMessages, forms.Form):
    next_review_on = uk_date("Next review by", help_text="For example, 31/03/2027")
    person_comments = forms.CharField(
        label="The person's comments", max_length=5000, required=False, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgreeForm(PlainMessages, forms.Form):
    agreed_on = uk_date("Date agreed", help_text="For example, 27/11/2026")
    agreed_how = forms.ChoiceField(
        label="How they agreed",
        choices=SupportPlan.AgreedHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they agreed"},
    )
    person_comments = forms.CharField(
        label="Their comments", max_length=5000, required=False, widget=forms.Textarea
    )


class ReviewForm(PlainMessages, forms.Form):
    """The review meeting: a date, then for each open goal its progress and outcome."""

    held_on = uk_date("Date of the review", help_text="For example, 27/11/2026")
    summary = forms.CharField(
        label="Summary of the review", max_length=5000, required=False, widget=forms.Textarea
    )
    next_review_on = uk_date("Next review by", help_text="For example, 27/02/2027")

    def __init__(self, *args, goals, **kwargs):
        from keywork.planning.models import Goal

        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"progress_{goal.pk}"] = forms.CharField(
                label="How has it gone?",
                max_length=5000,
                widget=forms.Textarea,
                error_messages={"required": "Say how this goal has gone"},
            )
            self.fields[f"outcome_{goal.pk}"] = forms.ChoiceField(
                label="What now?",
                choices=Goal.Status.choices,
                widget=forms.RadioSelect,
                initial=Goal.Status.OPEN,
                error_messages={"required": "Choose whether the goal stays open or closes"},
            )
            self.fields[f"why_{goal.pk}"] = forms.CharField(
                label="If it is closing, why?",
                max_length=300,
                required=False,
            )

    def clean(self):
        data = super().clean()
        for goal in self.goals:
            outcome = data.get(f"outcome_{goal.pk}")
            if outcome and outcome != "open" and not data.get(f"why_{goal.pk}", "").strip():
                self.add_error(f"why_{goal.pk}", "Say in a word why the goal is closing")
        return data

    def goal_fields(self):
        return [
            (goal, self[f"progress_{goal.pk}"], self[f"outcome_{goal.pk}"], self[f"why_{goal.pk}"])
            for goal in self.goals
        ]

    def progress(self) -> dict:
        data = self.cleaned_data
        return {
            g.pk: (data[f"progress_{g.pk}"], data[f"outcome_{g.pk}"], data[f"why_{g.pk}"])
            for g in self.goals
        }


class RatingsForm(PlainMessages, forms.Form):
    """One 1-to-10 box per area of life; leave a box empty to skip that area."""

    rated_on = uk_date("Date of the ratings", help_text="For example, 27/11/2026")
    rated_by = forms.ChoiceField(
        label="Who gave the ratings",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Choose who gave the ratings"},
    )
    note = forms.CharField(label="Note", max_length=300, required=False)

    def __init__(self, *args, framework, **kwargs):
        from keywork.outcomes.models import Rating

        super().__init__(*args, **kwargs)
        self.fields["rated_by"].choices = Rating.RatedBy.choices
        self.domains = list(framework.domains.all())
        in_range = f"Give a number from {framework.scale_min} to {framework.scale_max}"
        for domain in self.domains:
            self.fields[f"domain_{domain.pk}"] = forms.IntegerField(
                label=f"{domain.name} ({framework.scale_min} to {framework.scale_max})",
                help_text=domain.description,
                required=False,
                min_value=framework.scale_min,
                max_value=framework.scale_max,
                widget=forms.NumberInput(attrs={"width": "2", "inputmode": "numeric"}),
                error_messages={
                    "invalid": "Give a whole number",
                    "min_value": in_range,
                    "max_value": in_range,
                },
            )

    def scores(self) -> dict[int, int]:
        return {
            d.pk: self.cleaned_data[f"domain_{d.pk}"]
            for d in self.domains
            if self.cleaned_data.get(f"domain_{d.pk}") is not None
        }


class AssessmentForm(PlainMessages, forms.Form):
    """For each area of life: the person's view, the worker's view, strengths and the
    level of need. An area left wholly empty is left out of the assessment."""

    assessed_on = uk_date("Date of the assessment", help_text="For example, 27/11/2026")

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(framework.domains.all())
        for domain in self.domains:
            self.fields[f"person_view_{domain.pk}"] = forms.CharField(
                label="In their words",
                help_text="What they say about this part of their life, as they said it.",
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"worker_view_{domain.pk}"] = forms.CharField(
                label="Your view",
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"strengths_{domain.pk}"] = forms.CharField(
                label="Strengths to build on",
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"need_{domain.pk}"] = forms.ChoiceField(
                label="Level of need",
                choices=AssessmentArea.Need.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def domain_fields(self):
        return [
            (
                domain,
                [
                    self[f"{name}_{domain.pk}"]
                    for name in ("person_view", "worker_view", "strengths")
                ],
                self[f"need_{domain.pk}"],
            )
            for domain in self.domains
        ]

    def areas(self) -> dict[int, dict[str, str]]:
        data = self.cleaned_data
        return {
            d.pk: {
                name: data.get(f"{name}_{d.pk}", "")
                for name in ("person_view", "worker_view", "strengths", "need")
            }
            for d in self.domains
        }

    @staticmethod
    def initial_from(assessment) -> dict:
        """A new assessment starts from the last one, so only what changed is typed."""
        if assessment is None:
            return {}
        initial = {}
        for area in assessment.areas.all():
            for name in ("person_view", "worker_view", "strengths", "need"):
                initial[f"{name}_{area.domain_id}"] = getattr(area, name)
        return initial
