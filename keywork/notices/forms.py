from django import forms

from keywork.core.fields import PlainMessages, RecordChoiceField, RecordMultipleChoiceField, uk_date
from keywork.notices.models import Notice, NoticeFile, Receipt

EXAMPLE = "For example, 27/11/2026"


class NoticeForm(PlainMessages, forms.Form):
    service = RecordChoiceField(
        queryset=None,
        label="Service",
        empty_label="Choose a service",
        error_messages={"required": "Choose the service the notice is from"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    body = forms.CharField(
        label="What it says, in plain words",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": "Enter what the notice says"},
    )
    language = forms.ChoiceField(
        label="Language", choices=Notice.Language.choices, initial=Notice.Language.ENGLISH
    )
    audience = forms.ChoiceField(
        label="Who it is for",
        choices=Notice.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the notice is for"},
    )
    property = RecordChoiceField(
        queryset=None,
        label="Property (if it is for everyone living in one)",
        required=False,
        empty_label="Not for one property",
    )
    people = RecordMultipleChoiceField(
        queryset=None,
        label="Named people (if it is for named people)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    event = RecordChoiceField(
        queryset=None,
        label="Event or group (if it is for the people signed up to one)",
        required=False,
        empty_label="Not for an event or group",
    )
    published_on = uk_date("Published on", help_text=EXAMPLE)
    expires_on = uk_date("Expires on", required=False, help_text="Leave empty if it does not")
    needs_acknowledgement = forms.BooleanField(
        label="Ask each person to acknowledge it (house rules, a change to fire safety)",
        required=False,
    )

    def __init__(self, *args, services, properties, people, events, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["property"].queryset = properties
        self.fields["property"].label_from_instance = lambda p: f"{p.name} ({p.service.name})"
        self.fields["people"].queryset = people
        self.fields["event"].queryset = events
        self.fields["event"].label_from_instance = lambda e: (
            f"{e.title} ({e.get_repeat_display().split(',')[0].lower()}, "
            f"from {e.first_date:%d/%m/%Y})"
        )

    def published(self, data: dict):
        return data.get("published_on")

    def clean(self) -> dict:
        # Said with the missing answers, not only once they are put right; the service
        # checks the same.
        data = super().clean() or {}
        published, expires = self.published(data), data.get("expires_on")
        if published and expires and expires < published:
            self.add_error(
                "expires_on",
                f"The notice cannot expire before it is published ({published:%d/%m/%Y}).",
            )
        audience = data.get("audience")
        if (
            audience == Notice.Audience.PROPERTY
            and not data.get("property")
            and ("property" not in self.errors)
        ):
            self.add_error("property", "Choose the property the notice is for.")
        if (
            audience == Notice.Audience.PEOPLE
            and not data.get("people")
            and ("people" not in self.errors)
        ):
            self.add_error("people", "Choose the people the notice is for.")
        if (
            audience == Notice.Audience.GROUP
            and not data.get("event")
            and ("event" not in self.errors)
        ):
            self.add_error("event", "Choose the event or group the notice is for.")
        return data


AUDIENCE_FIELDS = ("audience", "property", "people", "event")


class NoticeChangeForm(NoticeForm):
    """The notice's own fields; who it is for only while no one has had it."""

    # The notice's version when the page was opened, so a change made since is not undone.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, notice: Notice, audience_fixed: bool, **kwargs) -> None:
        super().__init__(*args, services=None, **kwargs)
        self.notice = notice
        del self.fields["service"], self.fields["published_on"]
        if audience_fixed:
            for name in AUDIENCE_FIELDS:
                del self.fields[name]

    def published(self, data: dict):
        return self.notice.published_on


class WithdrawForm(PlainMessages, forms.Form):
    reason = forms.CharField(
        label="Why it is withdrawn",
        help_text="For example, the date of the meeting changed and a new notice was written",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the notice is withdrawn"},
    )


class ReceivedForm(PlainMessages, forms.Form):
    people = RecordMultipleChoiceField(
        queryset=None,
        label="Who received it",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who received the notice"},
    )
    received_on = uk_date("Date received", help_text=EXAMPLE)
    how = forms.ChoiceField(label="How", choices=Receipt.How.choices, widget=forms.RadioSelect)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class AcknowledgeForm(PlainMessages, forms.Form):
    acknowledged_on = uk_date("Date acknowledged", help_text=EXAMPLE)


class NoticeFileForm(PlainMessages, forms.Form):
    kind = forms.ChoiceField(label="What it is", choices=NoticeFile.Kind.choices)
    file = forms.FileField(
        label="File",
        help_text="A PDF, Word (.docx) or OpenDocument text (.odt) file, or a photo (JPEG, "
        "PNG), 20 MB at most.",
        error_messages={"required": "Choose the file to attach", "empty": "The file is empty"},
    )


class QuarterForm(forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        error_messages={
            "required": "Choose a quarter",
            "invalid_choice": "Choose a quarter from the list",
        },
    )

    def __init__(self, *args, quarters, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.key, q.label) for q in quarters]
