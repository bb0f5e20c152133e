from django import forms

from keywork.activities.models import Activity, OutcomeEvent
from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date


class ActivityForm(PlainMessages, forms.Form):
    kind = forms.ChoiceField(
        label="Type",
        choices=Activity.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of activity"},
    )
    title = forms.CharField(
        label="What it is",
        max_length=200,
        help_text="For example, Food hygiene level 2, or kitchen porter.",
        error_messages={"required": "Say what the activity is"},
    )
    provider = forms.CharField(label="Provider or employer", max_length=200, required=False)
    start_date = uk_date("Start date", help_text="For example, 27/11/2026")
    end_date = uk_date("End date", required=False, help_text="Leave empty if it goes on.")
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        required=False,
        min_value=0,
        max_value=80,
        decimal_places=1,
        # A text box, as GOV.UK advises: a number box loses what was typed wrongly.
        widget=forms.TextInput(attrs={"width": "3", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the hours as a number, like 16 or 7.5",
            "min_value": "The hours cannot be negative",
            "max_value": "Enter at most 80 hours a week",
            "max_decimal_places": "Give the hours to one decimal place, like 7.5",
        },
    )


class EventForm(PlainMessages, forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=OutcomeEvent.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    happened_on = uk_date("Date", help_text="For example, 27/11/2026")
    detail = forms.CharField(
        label="Detail",
        max_length=300,
        required=False,
        help_text="For example, the qualification's name.",
    )
    came_from = RecordChoiceField(
        label="The course it came from (for a job entry)",
        queryset=None,
        required=False,
        empty_label="None",
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["came_from"].queryset = courses
