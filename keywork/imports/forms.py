from django import forms

from keywork.core.fields import PlainMessages
from keywork.imports.rows import FIELDS


class UploadForm(PlainMessages, forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV file (saved as CSV UTF-8) or an Excel workbook (.xlsx), 20 MB at most. "
        "The first row must name the columns.",
        error_messages={"required": "Choose the file to upload", "empty": "The file is empty"},
    )


class MappingForm(PlainMessages, forms.Form):
    """One drop-down per Keywork field, listing the file's columns."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file")] + [(h, h) for h in headers if h]
        for field in FIELDS:
            self.fields[field.name] = forms.ChoiceField(
                label=field.label + (" (needed)" if field.required else ""),
                choices=choices,
                required=False,
            )
