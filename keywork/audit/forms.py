from django import forms

from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date


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
