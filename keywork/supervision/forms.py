import re

from django import forms
from django.core.exceptions import ValidationError

from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date
from keywork.supervision.models import TEAM_ROLES, Assessment
from keywork.supervision.services import CompetencyEntry, LevelEntry

DAY = "For example, 27/11/2026"


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def _staff_field(label: str, required: bool = True) -> RecordChoiceField:
    return RecordChoiceField(
        label=label,
        queryset=None,
        required=required,
        error_messages={
            "required": f"Choose the {label.lower()}",
            "invalid_choice": f"Choose the {label.lower()} from the list",
        },
    )


class ArrangementForm(PlainMessages, Versioned):
    supervisor = _staff_field("Supervisor")
    stand_in = _staff_field("Stand-in", required=False)
    probation_ends_on = uk_date("Probation ends on", required=False, help_text=DAY)

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = staff
        self.fields["stand_in"].queryset = staff


class FrequencyForm(PlainMessages, forms.Form):
    role = forms.ChoiceField(
        label="Role", choices=TEAM_ROLES, error_messages={"required": "Choose the role"}
    )
    every_weeks = forms.IntegerField(
        label="Every (weeks)", min_value=1, max_value=52, help_text="For example, 6"
    )
    probation_every_weeks = forms.IntegerField(
        label="Every, in probation (weeks)", min_value=1, max_value=52, help_text="For example, 4"
    )


class ScheduleForm(PlainMessages, forms.Form):
    scheduled_for = uk_date("Date planned", help_text=DAY)


class RecordForm(PlainMessages, Versioned):
    held_on = uk_date("Date held", help_text=DAY)
    present = forms.CharField(label="Who was there", max_length=300, required=False)
    wellbeing = forms.CharField(
        label="Wellbeing", widget=forms.Textarea, required=False, max_length=20000
    )
    workload = forms.CharField(
        label="Workload", widget=forms.Textarea, required=False, max_length=20000
    )
    learning = forms.CharField(
        label="Learning and development", widget=forms.Textarea, required=False, max_length=20000
    )
    next_on = uk_date("Next supervision", required=False, help_text=DAY)


class DiscussionForm(PlainMessages, forms.Form):
    person = RecordChoiceField(
        label="Person discussed",
        queryset=None,
        error_messages={
            "required": "Choose the person discussed",
            "invalid_choice": "Choose the person discussed from the caseload",
        },
    )
    decision = forms.CharField(
        label="What was decided",
        widget=forms.Textarea,
        max_length=20000,
        help_text="This is written on their record as a file note",
        error_messages={"required": "Enter what was decided"},
    )

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ActionForm(PlainMessages, forms.Form):
    text = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Enter the action"}
    )
    owner = _staff_field("Owner")
    due_on = uk_date("Due by", help_text=DAY)

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff


class ProgressForm(PlainMessages, forms.Form):
    progress = forms.CharField(
        label="Progress", max_length=5000, error_messages={"required": "Enter the progress made"}
    )
    done = forms.BooleanField(label="Done", required=False)


class GoalReviewForm(PlainMessages, forms.Form):
    note = forms.CharField(
        label="How it is going",
        max_length=5000,
        error_messages={"required": "Enter how the goal is going"},
    )
    done = forms.BooleanField(label="Goal met", required=False)


class AgreeForm(PlainMessages, Versioned):
    comment = forms.CharField(
        label="Your comment (optional)", widget=forms.Textarea, required=False, max_length=20000
    )


class AmendForm(PlainMessages, forms.Form):
    field = forms.ChoiceField(
        label="Part to correct",
        choices=[
            ("present", "Who was there"),
            ("wellbeing", "Wellbeing"),
            ("workload", "Workload"),
            ("learning", "Learning and development"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the part of the record to correct"},
    )
    text = forms.CharField(
        label="Corrected text",
        widget=forms.Textarea,
        max_length=20000,
        error_messages={"required": "Enter the corrected text"},
    )
    reason = forms.CharField(
        label="Why it is corrected",
        max_length=300,
        error_messages={"required": "Say why the record is corrected"},
    )


class FrameworkForm(PlainMessages, forms.Form):
    """A framework typed in: its levels one a line ("1 Entry"), and each competency as a
    block of lines: its name, its description, one line per level, then the level each
    role needs ("support_worker 2")."""

    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter a name for the framework"}
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea, required=False, max_length=5000
    )
    levels = forms.CharField(
        label="Levels",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="One a line, numbered from 1: for example ‘1 Entry’",
        error_messages={"required": "Enter the levels"},
    )
    competencies = forms.CharField(
        label="Competencies",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50000,
        help_text=(
            "Each competency as lines with a blank line between: its name, its "
            "description, what it looks like at each level (‘1: …’), and the level each "
            "role needs (‘support_worker = 2’)"
        ),
        error_messages={"required": "Enter at least one competency"},
    )


class AssessmentStartForm(PlainMessages, forms.Form):
    framework = RecordChoiceField(
        label="Framework",
        queryset=None,
        error_messages={
            "required": "Choose the framework",
            "invalid_choice": "Choose a framework from the list",
        },
    )
    occasion = forms.ChoiceField(
        label="When",
        choices=Assessment.Occasion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the assessment is"},
    )
    assessed_on = uk_date("Date of the assessment", help_text=DAY)

    def __init__(self, *args, frameworks, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks


def level_field(label: str, levels) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Not yet")]
        + [(str(level.number), f"{level.number} {level.label}") for level in levels],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": f"Choose a level of the framework for {label.lower()}"},
    )


class ScoresForm(PlainMessages, Versioned):
    """One level and evidence per competency, for the member's or the supervisor's view."""

    def __init__(self, *args, rows, levels, part: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.part = part
        for row in rows:
            pk = row.competency.pk
            self.fields[f"level_{pk}"] = level_field(f"Level for {row.competency.name}", levels)
            self.fields[f"evidence_{pk}"] = forms.CharField(
                label=f"Evidence for {row.competency.name}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )
            if part == "supervisor":
                self.fields[f"agreed_{pk}"] = level_field(
                    f"Agreed level for {row.competency.name}", levels
                )

    def values(self, prefix: str) -> dict[int, object]:
        return {
            row.competency.pk: self.cleaned_data.get(f"{prefix}_{row.competency.pk}")
            for row in self.rows
        }


class GoalForm(PlainMessages, forms.Form):
    goal = forms.CharField(
        label="Goal", max_length=300, error_messages={"required": "Enter the goal"}
    )
    competency = RecordChoiceField(
        label="Competency (optional)",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose a competency from the list"},
    )
    actions = forms.CharField(
        label="Actions", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    training = forms.CharField(label="Training to do", max_length=300, required=False)
    due_on = uk_date("Due by", help_text=DAY)

    def __init__(self, *args, competencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies


_LEVEL_LINE = re.compile(r"\s*(-?[0-9]{1,3})[\s.:)-]+(.+)")
_REQUIRED_LINE = re.compile(r"\s*([a-z_]+)\s*=\s*(-?[0-9]{1,3})\s*")


def parse_framework(levels_text: str, competencies_text: str) -> tuple[list, list]:
    """The levels and competencies typed into FrameworkForm, or the lines it cannot read."""
    levels: list[LevelEntry] = []
    for line in filter(str.strip, levels_text.splitlines()):
        found = _LEVEL_LINE.fullmatch(line)
        if not found:
            raise ValidationError(
                {"levels": f"Start each level with its number: ‘{line.strip()}’."}
            )
        levels.append(LevelEntry(int(found.group(1)), found.group(2).strip()))
    competencies: list[CompetencyEntry] = []
    for block in re.split(r"\n\s*\n", competencies_text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if len(lines) < 2:
            raise ValidationError(
                {
                    "competencies": "Give each competency a name and a description, "
                    "on lines of their own."
                }
            )
        descriptors: dict[int, str] = {}
        needs: dict[str, int] = {}
        for line in lines[2:]:
            if required := _REQUIRED_LINE.fullmatch(line):
                needs[required.group(1)] = int(required.group(2))
            elif descriptor := _LEVEL_LINE.fullmatch(line):
                descriptors[int(descriptor.group(1))] = descriptor.group(2).strip()
            else:
                raise ValidationError(
                    {
                        "competencies": f"‘{lines[0]}’: start each level’s line with its "
                        f"number: ‘{line}’."
                    }
                )
        competencies.append(CompetencyEntry(lines[0], lines[1], descriptors, needs))
    return levels, competencies
