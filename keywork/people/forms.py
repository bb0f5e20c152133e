from django import forms
from django.utils import timezone

from keywork.core.fields import PlainMessages, RecordChoiceField, RecordMultipleChoiceField, uk_date
from keywork.people.models import (
    DISABILITY_CHOICES,
    ETHNICITY_CHOICES,
    GENDER_CHOICES,
    RELIGION_CHOICES,
    SEXUAL_ORIENTATION_CHOICES,
    Alert,
    Episode,
    PersonIdentifier,
    Professional,
    Referral,
    SupportNeed,
)
from keywork.people.services import (
    PERSON_FIELDS,
    end_date_problem,
    person_details_problems,
    start_date_problem,
)


def text(label: str, max_length: int, required: bool = False, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={"required": f"Enter the {label.lower()}"},
        **kwargs,
    )


def choice(label: str, choices, required_message: str = "", **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        error_messages={"required": required_message or f"Choose the {label.lower()}"},
        **kwargs,
    )


class PersonForm(PlainMessages, forms.Form):
    first_name = text("First name", 100, required=True, help_text="Their legal first name.")
    middle_names = text("Middle names", 150)
    last_name = text("Last name", 100, required=True)
    preferred_name = text("Preferred name", 100, help_text="What they like to be called.")
    previous_names = text("Previous names", 200)
    pronouns = text("Pronouns", 40, help_text="For example she/her or they/them.")
    date_of_birth = uk_date("Date of birth", required=False)
    estimated_age = forms.IntegerField(
        label="Estimated age, if the date of birth is not known",
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"width": "3", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter the estimated age as a whole number of years"},
    )
    phone = text("Phone", 40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(
        label="Email",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    address = forms.CharField(
        label="Address", required=False, max_length=500, widget=forms.Textarea
    )
    postcode = text("Postcode", 10, widget=forms.TextInput(attrs={"width": "10"}))
    address_confidential = forms.BooleanField(
        label="The address is confidential",
        required=False,
        help_text="It will never be printed or exported unless someone chooses to include it.",
    )
    ni_number = text(
        "National Insurance number",
        13,
        help_text="For example, AB 12 34 56 C",
        widget=forms.TextInput(attrs={"width": "10"}),
    )
    nhs_number = text(
        "NHS number",
        12,
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(attrs={"width": "10", "inputmode": "numeric"}),
    )
    support_needs = forms.MultipleChoiceField(
        label="Support needs",
        choices=SupportNeed.Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    primary_need = forms.ChoiceField(
        label="Primary need",
        choices=[("", "Not decided yet"), *SupportNeed.Need.choices],
        required=False,
    )
    gender = choice("Gender", GENDER_CHOICES, initial="not_asked")
    ethnicity = choice("Ethnic group", ETHNICITY_CHOICES, initial="not_asked")
    religion = choice("Religion or belief", RELIGION_CHOICES, initial="not_asked")
    sexual_orientation = choice(
        "Sexual orientation", SEXUAL_ORIENTATION_CHOICES, initial="not_asked"
    )
    disability = choice(
        "Do they consider themselves disabled?",
        DISABILITY_CHOICES,
        required_message="Choose whether they consider themselves disabled",
        initial="not_asked",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_of_birth") and data.get("estimated_age") is not None:
            self.add_error("estimated_age", "Give a date of birth or an estimated age, not both")
        # The record's own rules (a real NHS number, a UK postcode...) are said with the
        # form's, not only once those are put right; saving checks them again.
        for name, problems in person_details_problems(data).items():
            if name not in self.errors:
                self.add_error(name, problems)
        return data

    @staticmethod
    def initial_for(person) -> dict:
        initial = {name: getattr(person, name) for name in (*PERSON_FIELDS, "version")}
        needs = list(person.support_needs.all())
        initial["support_needs"] = [n.need for n in needs]
        initial["primary_need"] = next((n.need for n in needs if n.is_primary), "")
        if person.estimated_birth_year and not person.date_of_birth:
            initial["estimated_age"] = timezone.localdate().year - person.estimated_birth_year
        return initial


class NotADuplicateForm(PlainMessages, forms.Form):
    not_a_duplicate = forms.BooleanField(
        label="I have checked: none of these is the same person",
        required=True,
        error_messages={
            "required": "Check the possible matches, then confirm none is the same person"
        },
    )


class IdentifierForm(PlainMessages, forms.Form):
    kind = choice("Kind of identifier", PersonIdentifier.Kind.choices)
    value = text("Identifier", 60, required=True)


class AlertForm(PlainMessages, forms.Form):
    kind = choice(
        "Does it change how staff may meet them?",
        [
            (Alert.Kind.GENERAL, "No"),
            *[(k, label) for k, label in Alert.Kind.choices if k != Alert.Kind.GENERAL],
        ],
        required=False,  # most alerts do not; left unanswered, it is "No"
        widget=forms.RadioSelect,
        initial=Alert.Kind.GENERAL,
    )
    text = text(
        "Alert", 300, required=True, help_text="Shown at the top of every page about this person."
    )
    level = choice(
        "Level", Alert.Level.choices, widget=forms.RadioSelect, initial=Alert.Level.WARNING
    )
    review_on = uk_date("Review by", required=False, help_text="For example, 27/03/2027")


class EndAlertForm(PlainMessages, forms.Form):
    reason = text("Why is this alert ending?", 300, required=True)


class EmergencyContactForm(PlainMessages, forms.Form):
    name = text("Name", 150, required=True)
    relationship = text(
        "Relationship", 80, required=True, help_text="For example, sister or friend."
    )
    phone = text("Phone", 40, required=True)
    notes = text("Notes", 300)


class ConsentForm(PlainMessages, forms.Form):
    shared_with = text("Shared with", 200, required=True, help_text="A person, agency or service.")
    purpose = text("Purpose", 300, required=True)
    given_on = uk_date("Given on")
    expires_on = uk_date("Expires on", required=False)

    def clean(self):
        data = super().clean()
        given, expires = data.get("given_on"), data.get("expires_on")
        if given and given > timezone.localdate():
            self.add_error("given_on", "Consent cannot be given in the future")
        if given and expires and expires < given:
            self.add_error("expires_on", "The expiry date must be after the date consent was given")
        return data


class WithdrawConsentForm(PlainMessages, forms.Form):
    withdrawn_on = uk_date("Withdrawn on")


class ProfessionalForm(PlainMessages, forms.Form):
    role = choice("Role", Professional.Role.choices)
    name = text("Name", 150, required=True)
    agency = RecordChoiceField(
        label="Agency", queryset=None, required=False, empty_label="Not in the directory"
    )
    phone = text("Phone", 40)
    email = forms.EmailField(label="Email", required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ReferralForm(PlainMessages, forms.Form):
    service = RecordChoiceField(
        label="Service",
        queryset=None,
        empty_label="Choose a service",
        error_messages={"required": "Choose the service"},
    )
    received_on = uk_date("Date received", help_text="For example, 27/11/2026")
    source = choice(
        "Who made the referral?",
        Referral.Source.choices,
        required_message="Choose who made the referral",
        widget=forms.RadioSelect,
    )
    source_agency = RecordChoiceField(
        label="Referring agency", queryset=None, required=False, empty_label="Not in the directory"
    )
    source_contact = text("Referrer's name and contact", 200)
    reason = forms.CharField(
        label="Reason for referral",
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the referral"},
    )
    needs = forms.CharField(
        label="Support needs", max_length=5000, required=False, widget=forms.Textarea
    )
    risk_summary = forms.CharField(
        label="Risk summary", max_length=5000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, services, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["source_agency"].queryset = agencies

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future")
        return day


class AcceptReferralForm(PlainMessages, forms.Form):
    start_date = uk_date("Start date", help_text="When support starts, for example 27/11/2026")
    key_worker = RecordChoiceField(
        label="Key worker",
        queryset=None,
        empty_label="Choose a key worker",
        error_messages={"required": "Choose the key worker"},
    )
    co_workers = RecordMultipleChoiceField(
        label="Co-workers", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, key_workers, co_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = key_workers
        self.fields["co_workers"].queryset = co_workers
        self.fields["co_workers"].label_from_instance = lambda u: u.full_name
        self.fields["key_worker"].label_from_instance = lambda u: u.full_name

    def clean_start_date(self):
        day = self.cleaned_data["start_date"]
        if problem := start_date_problem(day):
            raise forms.ValidationError(problem)
        return day


class DecisionReasonForm(PlainMessages, forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Give the reason"},
    )


class EndEpisodeForm(PlainMessages, forms.Form):
    end_date = uk_date("End date")

    def __init__(self, *args, started=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.started = started

    def clean_end_date(self):
        day = self.cleaned_data["end_date"]
        if self.started and (problem := end_date_problem(day, started=self.started)):
            raise forms.ValidationError(problem)
        return day

    end_reason = choice(
        "Why did support end?",
        Episode.EndReason.choices,
        required_message="Choose why support ended",
        widget=forms.RadioSelect,
    )
    destination = choice(
        "Where did they go?",
        Episode.Destination.choices,
        required_message="Choose where they went, or Not known",
        widget=forms.RadioSelect,
    )


class ReallocateForm(PlainMessages, forms.Form):
    episodes = forms.MultipleChoiceField(
        label="People to move",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person to move"},
    )
    new_key_worker = RecordChoiceField(
        label="New key worker",
        queryset=None,
        empty_label="Choose the new key worker",
        error_messages={"required": "Choose the new key worker"},
    )

    def __init__(self, *args, episodes, key_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episodes"].choices = [(str(e.pk), str(e.person)) for e in episodes]
        self.fields["new_key_worker"].queryset = key_workers
        self.fields["new_key_worker"].label_from_instance = lambda u: u.full_name


class BreakGlassForm(PlainMessages, forms.Form):
    reason = forms.CharField(
        label="Why do you need this record now?",
        min_length=20,
        max_length=2000,
        widget=forms.Textarea,
        help_text=(
            "Your reason, your name and the time are recorded, "
            "and the service's lead manager is told."
        ),
        error_messages={
            "required": "Explain why you need this record",
            "min_length": "Explain why you need this record (20 characters or more)",
        },
    )
    record_number = forms.IntegerField(
        label="Keywork record number",
        required=False,
        min_value=1,
        max_value=10**17,
        widget=forms.NumberInput(attrs={"width": "10"}),
    )
    ni_number = text("National Insurance number", 13, widget=forms.TextInput(attrs={"width": "10"}))
    nhs_number = text("NHS number", 12, widget=forms.TextInput(attrs={"width": "10"}))
    last_name = text("Last name", 100)
    date_of_birth = uk_date("Date of birth", required=False)

    def clean(self):
        data = super().clean()
        by_name = data.get("last_name") and data.get("date_of_birth")
        if not (
            data.get("record_number") or data.get("ni_number") or data.get("nhs_number") or by_name
        ):
            raise forms.ValidationError(
                "Give the record number, an NI or NHS number, "
                "or the last name with the date of birth"
            )
        return data


class PrintForm(PlainMessages, forms.Form):
    include_address = forms.BooleanField(
        label="Include the confidential address",
        required=False,
        help_text="Only when the person or the law needs it on paper. Your choice is recorded.",
    )
    purpose = text("Why the address must be included", 200)

    def clean(self):
        data = super().clean()
        if data.get("include_address") and not data.get("purpose", "").strip():
            self.add_error("purpose", "Say why the address must be included")
        return data


class CoWorkerForm(PlainMessages, forms.Form):
    user = RecordChoiceField(
        label="Add a co-worker",
        queryset=None,
        empty_label="Choose a member of staff",
        error_messages={"required": "Choose the co-worker to add"},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda u: u.full_name


class PossibleDuplicateForm(PlainMessages, forms.Form):
    record_number = forms.IntegerField(
        label="Record number of the other record",
        min_value=1,
        max_value=10**17,
        widget=forms.NumberInput(attrs={"width": "10"}),
        error_messages={"required": "Enter the other record's number"},
    )
    note = text("Why you think they are the same person", 300)
