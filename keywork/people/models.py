from django.conf import settings
from django.db import models
from django.db.models import Q

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation, Service


class PartOfPersonRecord(OrganisationThrough):
    """For rows that belong to a person's record: their organisation is the person's,
    which is how the audit files them and the access rules check them."""

    organisation_through = "person"


class NotAsked(models.TextChoices):
    """Every equality question allows these two answers."""

    NOT_ASKED = "not_asked", "Not asked"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


def _with_unanswered(*choices: tuple[str, str]) -> list[tuple[str, str]]:
    return [*choices, *NotAsked.choices]


GENDER_CHOICES = _with_unanswered(
    ("woman", "Woman"),
    ("man", "Man"),
    ("non_binary", "Non-binary"),
    ("other", "Another gender"),
)
ETHNICITY_CHOICES = _with_unanswered(
    # The 19 groups of the 2021 census in England and Wales.
    ("asian_indian", "Asian or Asian British: Indian"),
    ("asian_pakistani", "Asian or Asian British: Pakistani"),
    ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
    ("asian_chinese", "Asian or Asian British: Chinese"),
    ("asian_other", "Asian or Asian British: any other Asian background"),
    ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
    ("black_african", "Black, Black British, Caribbean or African: African"),
    ("black_other", "Black, Black British, Caribbean or African: any other background"),
    ("mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean"),
    ("mixed_white_black_african", "Mixed or multiple: White and Black African"),
    ("mixed_white_asian", "Mixed or multiple: White and Asian"),
    ("mixed_other", "Mixed or multiple: any other mixed background"),
    ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
    ("white_irish", "White: Irish"),
    ("white_gypsy_traveller", "White: Gypsy or Irish Traveller"),
    ("white_roma", "White: Roma"),
    ("white_other", "White: any other White background"),
    ("other_arab", "Other ethnic group: Arab"),
    ("other", "Other ethnic group: any other"),
)
RELIGION_CHOICES = _with_unanswered(
    ("none", "No religion"),
    ("buddhist", "Buddhist"),
    ("christian", "Christian"),
    ("hindu", "Hindu"),
    ("jewish", "Jewish"),
    ("muslim", "Muslim"),
    ("sikh", "Sikh"),
    ("other", "Another religion or belief"),
)
SEXUAL_ORIENTATION_CHOICES = _with_unanswered(
    ("straight", "Straight or heterosexual"),
    ("gay_lesbian", "Gay or lesbian"),
    ("bisexual", "Bisexual"),
    ("other", "Another sexual orientation"),
)
DISABILITY_CHOICES = _with_unanswered(
    ("yes", "Yes"),
    ("no", "No"),
)


class Person(models.Model):
    """Someone an organisation supports, or has been asked to."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField("first name", max_length=100)
    middle_names = models.CharField("middle names", max_length=150, blank=True)
    last_name = models.CharField("last name", max_length=100)
    preferred_name = models.CharField(
        "preferred name", max_length=100, blank=True, help_text="What they like to be called."
    )
    previous_names = models.CharField("previous names", max_length=200, blank=True)
    pronouns = models.CharField(max_length=40, blank=True, help_text="For example she/her.")
    date_of_birth = models.DateField("date of birth", null=True, blank=True)
    # Outreach often meets people whose date of birth nobody knows: an estimate is kept as
    # the year it points to, so the age stays right as years pass.
    estimated_birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address_confidential = models.BooleanField(
        "confidential address",
        default=False,
        help_text="Never printed or exported unless someone chooses it on purpose.",
    )

    ni_number = models.CharField("National Insurance number", max_length=9, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)

    gender = models.CharField(max_length=30, choices=GENDER_CHOICES, default="not_asked")
    ethnicity = models.CharField(max_length=40, choices=ETHNICITY_CHOICES, default="not_asked")
    religion = models.CharField(
        "religion or belief", max_length=30, choices=RELIGION_CHOICES, default="not_asked"
    )
    sexual_orientation = models.CharField(
        max_length=30, choices=SEXUAL_ORIENTATION_CHOICES, default="not_asked"
    )
    disability = models.CharField(
        "disabled (as the Equality Act means it)",
        max_length=30,
        choices=DISABILITY_CHOICES,
        default="not_asked",
    )

    # Every name folded (lower case, no accents), kept by the services for search.
    search_names = models.TextField(editable=False, default="")
    # Blocking keys for duplicate matching (see matching.candidate_keys), kept by the services.
    match_keys = models.TextField(editable=False, default="")
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    # Raised by each save: a save made from an older version is refused, not lost.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "last_name", "first_name"]),
            models.Index(fields=["organisation", "date_of_birth"]),
            models.Index(fields=["organisation", "ni_number"]),
            models.Index(fields=["organisation", "nhs_number"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ni_number"],
                condition=~Q(ni_number="") & Q(merged_into=None),
                name="person_ni_number_unique_in_organisation",
                violation_error_message=(
                    "Someone in your organisation already has this National Insurance number."
                ),
            ),
            models.UniqueConstraint(
                fields=["organisation", "nhs_number"],
                condition=~Q(nhs_number="") & Q(merged_into=None),
                name="person_nhs_number_unique_in_organisation",
                violation_error_message="Someone in your organisation already has this NHS number.",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

    @property
    def legal_name(self) -> str:
        return " ".join(n for n in (self.first_name, self.middle_names, self.last_name) if n)


class PersonIdentifier(PartOfPersonRecord, models.Model):
    """Other systems' numbers for the person: a CHAIN id, a council or hospital number."""

    class Kind(models.TextChoices):
        CHAIN = "chain", "CHAIN id"
        COUNCIL = "council", "Council reference"
        HOSPITAL = "hospital", "Hospital number"
        PRISON = "prison", "Prison number"
        HOUSING = "housing", "Housing register number"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=60)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "value"],
                name="identifier_unique_per_person",
                violation_error_message="This person already has that identifier.",
            )
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class SupportNeed(PartOfPersonRecord, models.Model):
    class Need(models.TextChoices):
        MENTAL_HEALTH = "mental_health", "Mental health"
        SUBSTANCE_USE = "substance_use", "Drug use"
        ALCOHOL = "alcohol", "Alcohol use"
        HOMELESSNESS = "homelessness", "Homelessness or rough sleeping"
        OFFENDING = "offending", "Offending history"
        PHYSICAL_HEALTH = "physical_health", "Physical health"
        LEARNING_DISABILITY = "learning_disability", "Learning disability"
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
        YOUNG_PERSON = "young_person", "Young person at risk"
        OLDER_PERSON = "older_person", "Older person with support needs"
        REFUGEE = "refugee", "Refugee or asylum"
        EXPLOITATION = "exploitation", "Exploitation"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="support_needs")
    need = models.CharField(max_length=30, choices=Need.choices)
    is_primary = models.BooleanField("primary need", default=False)

    class Meta:
        ordering = ["-is_primary", "need"]
        constraints = [
            models.UniqueConstraint(fields=["person", "need"], name="support_need_unique"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_primary=True), name="one_primary_need"
            ),
        ]

    def __str__(self) -> str:
        return self.get_need_display()


class Agency(models.Model):
    """The organisation's directory of agencies it works with."""

    class Kind(models.TextChoices):
        GP = "gp", "GP surgery"
        MENTAL_HEALTH = "mental_health", "Mental health team"
        PROBATION = "probation", "Probation"
        COUNCIL = "council", "Council"
        HOSPITAL = "hospital", "Hospital"
        DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
        POLICE = "police", "Police"
        HOUSING = "housing", "Housing provider"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Professional(PartOfPersonRecord, models.Model):
    """A professional involved in the person's care, such as their GP or probation officer."""

    class Role(models.TextChoices):
        GP = "gp", "GP"
        CARE_COORDINATOR = "care_coordinator", "Care co-ordinator"
        PROBATION_OFFICER = "probation_officer", "Probation officer"
        SOCIAL_WORKER = "social_worker", "Social worker"
        DRUG_ALCOHOL_WORKER = "drug_alcohol_worker", "Drug and alcohol worker"
        HOUSING_OFFICER = "housing_officer", "Housing officer"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="professionals")
    role = models.CharField(max_length=30, choices=Role.choices)
    name = models.CharField(max_length=150)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class EmergencyContact(PartOfPersonRecord, models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emergency_contacts")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=80)
    phone = models.CharField(max_length=40)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class Consent(PartOfPersonRecord, models.Model):
    """The person's consent to share information with someone, for a purpose."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    shared_with = models.CharField("shared with", max_length=200)
    purpose = models.CharField(max_length=300)
    given_on = models.DateField("given on")
    expires_on = models.DateField("expires on", null=True, blank=True)
    withdrawn_on = models.DateField("withdrawn on", null=True, blank=True)

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_after_given",
                violation_error_message="Consent cannot expire before it was given.",
            )
        ]

    def __str__(self) -> str:
        return f"Consent to share with {self.shared_with}"


class Alert(PartOfPersonRecord, models.Model):
    """Shown as a banner on every page about the person."""

    class Level(models.TextChoices):
        INFORMATION = "information", "Information"
        WARNING = "warning", "Warning"
        DANGER = "danger", "Danger"

    class Kind(models.TextChoices):
        """Some alerts change how staff may meet the person: an appointment that breaks
        one is warned about before it is saved."""

        GENERAL = "general", "Other"
        NOT_ALONE = "not_alone", "Do not visit alone"
        TWO_STAFF = "two_staff", "Two staff only"
        OFFICE_ONLY = "office_only", "Meet in the office only"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(
        "type of alert", max_length=20, choices=Kind.choices, default=Kind.GENERAL
    )
    text = models.CharField(max_length=300)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.WARNING)
    review_on = models.DateField("review by", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "ended_at"])]

    def __str__(self) -> str:
        return self.text


class PossibleDuplicate(PartOfPersonRecord, models.Model):
    """Two records a member of staff thinks may be the same person: linked, not merged."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="possible_duplicate_once"),
            models.CheckConstraint(
                condition=Q(person__lt=models.F("other")), name="duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Records {self.person_id} and {self.other_id} may be the same person"


class Referral(models.Model):
    class Source(models.TextChoices):
        SELF = "self", "Self-referral"
        COUNCIL = "council", "Council"
        OUTREACH = "outreach", "Outreach team"
        HOSPITAL = "hospital", "Hospital"
        PRISON = "prison", "Prison or probation"
        AGENCY = "agency", "Another agency"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ASSESSING = "assessing", "Assessing"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATUSES = (Status.NEW, Status.ASSESSING)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    received_on = models.DateField("date received")
    source = models.CharField(max_length=20, choices=Source.choices)
    source_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name="referring agency"
    )
    source_contact = models.CharField("referrer's name and contact", max_length=200, blank=True)
    reason = models.TextField("reason for referral")
    needs = models.TextField("support needs", blank=True)
    risk_summary = models.TextField("risk summary", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [
            models.Index(fields=["service", "status", "received_on"]),
            models.Index(fields=["person", "status"]),
            # Who may see a person asks of each person: a referral to one of my services?
            models.Index(fields=["person", "service"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="declined_referral_has_reason",
                violation_error_message="Give the reason for declining.",
            )
        ]

    def __str__(self) -> str:
        return f"Referral to {self.service} on {self.received_on:%d/%m/%Y}"


class Episode(models.Model):
    """One spell of support in one service, from its start to its end."""

    class EndReason(models.TextChoices):
        PLANNED = "planned", "Planned move-on"
        EVICTION = "eviction", "Unplanned: eviction"
        ABANDONMENT = "abandonment", "Unplanned: abandoned the accommodation"
        CUSTODY = "custody", "Unplanned: custody"
        HOSPITAL = "hospital", "Unplanned: hospital"
        DEATH = "death", "Unplanned: died"
        DISENGAGED = "disengaged", "Unplanned: disengaged"
        OTHER = "other", "Unplanned: other"

    class Destination(models.TextChoices):
        SOCIAL_TENANCY = "social_tenancy", "Social tenancy"
        PRIVATE_RENTED = "private_rented", "Private rented"
        SUPPORTED_HOUSING = "supported_housing", "Supported housing"
        FAMILY_FRIENDS = "family_friends", "Family or friends"
        ROUGH_SLEEPING = "rough_sleeping", "Rough sleeping"
        HOSPITAL = "hospital", "Hospital"
        CUSTODY = "custody", "Custody"
        OTHER = "other", "Other"
        NOT_KNOWN = "not_known", "Not known"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="episodes")
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="episode"
    )
    start_date = models.DateField("start date")
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="key_work_episodes"
    )
    end_date = models.DateField("end date", null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    destination = models.CharField(max_length=30, choices=Destination.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["key_worker", "end_date"]),
            models.Index(fields=["service", "end_date"]),
            models.Index(fields=["person", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="episode_ends_after_it_starts",
                violation_error_message="An episode cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason="") & Q(destination=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="") & ~Q(destination="")),
                name="ended_episode_has_reason_and_destination",
                violation_error_message="Give the end date, the reason and the destination.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class EpisodeWorker(OrganisationThrough, models.Model):
    """A co-worker on an episode: a support assistant or a complex caseworker."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="co_workers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["episode", "user"], name="co_worker_once")]
        indexes = [models.Index(fields=["user", "episode"])]

    def __str__(self) -> str:
        return f"Co-worker {self.user_id} on episode {self.episode_id}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "episode")

    organisation_through = "episode"


class ServiceCover(models.Model):
    """A worker's reach, for a while, to the people a service supports, beside their own
    work: the person on call covers the services of their rota for the length of a shift.
    Each row is kept by the area that grants it under its own `key` ("oncall.shift:12"),
    which replaces the rows of that key whenever the shift changes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    key = models.CharField(max_length=60)

    class Meta:
        indexes = [
            models.Index(fields=["user", "ends_at"]),
            models.Index(fields=["service", "ends_at"]),
            models.Index(fields=["key"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="service_cover_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Cover of service {self.service_id} until {self.ends_at:%d %b %H:%M}"


class BreakGlassAccess(PartOfPersonRecord, models.Model):
    """A worker opening a record outside their scope, with a written reason, for an hour."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "person", "expires_at"])]

    def __str__(self) -> str:
        return f"Break-glass access to record {self.person_id} until {self.expires_at:%H:%M}"
