from django import forms
from django.core.exceptions import ValidationError

from keywork.core.fields import PlainMessages, RecordChoiceField, is_record_id
from keywork.outcomes.services import DomainEntry, StageEntry


class FrameworkForm(PlainMessages, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter a name for the framework"},
    )
    description = forms.CharField(
        label="Description (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
        help_text="What the framework is for, and who it belongs to if your organisation "
        "licenses it.",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={
            "required": "The page was missing a part: open the framework again.",
            "invalid": "The page was missing a part: open the framework again.",
        },
    )

    def __init__(self, *args, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]


class _RecordIdField(forms.CharField):
    """The id of a row already saved, or nothing for a new row."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if not is_record_id(value):
            raise ValidationError("Open the framework again: this row was not recognised.")
        return int(value)


def _row_number(form) -> int:
    # The formset names each row "domains-0", "stages-3" and so on.
    tail = (form.prefix or "").rsplit("-", 1)[-1]
    return int(tail) + 1 if tail.isdigit() else 1


class DomainRowForm(PlainMessages, forms.Form):
    id = _RecordIdField()
    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="What it covers (optional)", max_length=1000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = _row_number(self)
        self.fields["name"].error_messages["required"] = f"Enter a name for area of life {number}"

    def entry(self) -> DomainEntry:
        data = self.cleaned_data
        return DomainEntry(
            id=data.get("id"),
            name=data.get("name", ""),
            description=data.get("description", ""),
            remove=bool(data.get("DELETE")),
        )


SCORE_WIDGET = forms.NumberInput(attrs={"width": "2", "inputmode": "numeric"})


class StageRowForm(PlainMessages, forms.Form):
    id = _RecordIdField()
    label = forms.CharField(label="Label", max_length=80)
    description = forms.CharField(label="What it means (optional)", max_length=1000, required=False)
    low = forms.IntegerField(label="From score", widget=SCORE_WIDGET)
    high = forms.IntegerField(label="To score", widget=SCORE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = _row_number(self)
        messages = {
            "label": (
                f"Enter a label for stage {number}",
                f"Enter a label for stage {number}",
            ),
            "low": (
                f"Enter the score stage {number} starts at",
                f"Enter the score stage {number} starts at as a whole number, like 3",
            ),
            "high": (
                f"Enter the score stage {number} ends at",
                f"Enter the score stage {number} ends at as a whole number, like 4",
            ),
        }
        for name, (required, invalid) in messages.items():
            self.fields[name].error_messages = {
                **self.fields[name].error_messages,
                "required": required,
                "invalid": invalid,
            }

    def entry(self) -> StageEntry:
        data = self.cleaned_data
        return StageEntry(
            id=data.get("id"),
            label=data.get("label", ""),
            description=data.get("description", ""),
            low=data.get("low") or 0,
            high=data.get("high") or 0,
            remove=bool(data.get("DELETE")),
        )


class _RowFormSet(forms.BaseFormSet):
    what = "row"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        message = "The page was missing a part: open it again and re-enter your changes."
        self.error_messages = {
            **self.error_messages,
            "missing_management_form": message,
            "too_many_forms": f"There are too many {self.what} rows.",
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = f"Remove this {self.what}"

    def entries(self) -> list:
        """What was entered in each row of a valid formset, leaving out the blank rows."""
        return [form.entry() for form in self.forms if form.cleaned_data]


class _DomainFormSet(_RowFormSet):
    what = "area of life"


class _StageFormSet(_RowFormSet):
    what = "stage"


def domain_formset(*, data=None, initial=None, extra: int):
    cls = forms.formset_factory(
        DomainRowForm,
        formset=_DomainFormSet,
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
        max_num=100,
        absolute_max=100,
    )
    return cls(data, initial=initial, prefix="domains")


def stage_formset(*, data=None, initial=None, extra: int):
    cls = forms.formset_factory(
        StageRowForm,
        formset=_StageFormSet,
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
        max_num=30,
        absolute_max=30,
    )
    return cls(data, initial=initial, prefix="stages")


class ChooseFrameworkForm(PlainMessages, forms.Form):
    framework = RecordChoiceField(
        label="Framework for new support plans",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Support plans already started keep the framework they began with.",
        error_messages={"required": "Choose the framework new support plans will use"},
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["framework"].label_from_instance = lambda framework: (
            f"{framework.name} (Keywork’s own)"
            if framework.organisation_id is None
            else framework.name
        )


class ErrorSummary:
    """Puts the framework form and its rows behind one error summary: the summary include
    walks one form's fields and non-field errors, so this offers the fields of every row
    form, and the problems with the rows as a whole, in that shape."""

    def __init__(self, form, *formsets, extra_errors=()):
        self.form = form
        self.formsets = formsets
        self.extra_errors = list(extra_errors)

    @property
    def errors(self) -> bool:
        return bool(
            self.form.errors
            or self.extra_errors
            or any(fs.is_bound and (fs.non_form_errors() or any(fs.errors)) for fs in self.formsets)
        )

    def non_field_errors(self) -> list[str]:
        errors = list(self.form.non_field_errors())
        for formset in self.formsets:
            if formset.is_bound:
                errors += list(formset.non_form_errors())
        return errors + self.extra_errors

    def __iter__(self):
        yield from self.form
        for formset in self.formsets:
            if formset.is_bound:
                for row in formset.forms:
                    yield from row
