from django import forms

from keywork.core.fields import PlainMessages, RecordChoiceField, uk_date
from keywork.involvement.models import InvolvementSession, Participation

EXAMPLE = "For example, 27/11/2026"


class SessionForm(PlainMessages, forms.Form):
    service = RecordChoiceField(
        queryset=None,
        label="Service",
        empty_label="Choose a service",
        error_messages={"required": "Choose the service"},
    )
    kind = forms.ChoiceField(
        label="What kind of involvement",
        choices=InvolvementSession.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of involvement it was"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    held_on = uk_date("Held on", help_text=EXAMPLE)
    decided = forms.CharField(
        label="What was decided",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class ParticipantForm(PlainMessages, forms.Form):
    person = RecordChoiceField(
        queryset=None,
        label="Who took part",
        empty_label="Choose a person",
        error_messages={"required": "Choose who took part"},
    )
    role = forms.ChoiceField(label="Their role", choices=Participation.Role.choices)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ActionForm(PlainMessages, forms.Form):
    what = forms.CharField(
        label="What will be done",
        max_length=300,
        error_messages={"required": "Enter what will be done"},
    )
    owner = RecordChoiceField(
        queryset=None,
        label="Who will do it",
        empty_label="Choose a member of staff",
        error_messages={"required": "Choose who will do it"},
    )
    due_on = uk_date("Due on", help_text=EXAMPLE)

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff
        self.fields["owner"].label_from_instance = lambda u: u.full_name


class SaidDidForm(PlainMessages, forms.Form):
    you_said = forms.CharField(
        label="You said",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what residents said"},
    )
    we_did = forms.CharField(
        label="We did",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the service did"},
    )


class DoneForm(PlainMessages, forms.Form):
    done_on = uk_date("Done on", help_text=EXAMPLE)
