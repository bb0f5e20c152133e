from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation, Service, Team


class Role(models.TextChoices):
    SUPPORT_ASSISTANT = "support_assistant", "Support assistant"
    SUPPORT_WORKER = "support_worker", "Support worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    COMPLEX_CASEWORKER = "complex_caseworker", "Complex caseworker"
    LEAD_MANAGER = "lead_manager", "Lead manager"
    ADMINISTRATOR = "administrator", "Administrator"
    COMMISSIONER = "commissioner", "Commissioner"


# Which place a membership hangs on: staff work in a team, a commissioner sees the
# services their body funds, an administrator looks after the whole organisation.
ROLES_IN_A_TEAM = frozenset(
    {
        Role.SUPPORT_ASSISTANT,
        Role.SUPPORT_WORKER,
        Role.SENIOR_PRACTITIONER,
        Role.COMPLEX_CASEWORKER,
        Role.LEAD_MANAGER,
    }
)
ROLES_FOR_A_SERVICE = frozenset({Role.COMMISSIONER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)

    def create_superuser(self, **fields) -> "User":
        # Django's createsuperuser ends here: it turns this error into one line and a
        # non-zero exit. Every account belongs to an organisation and comes by invitation.
        raise ValidationError(
            "Keywork has no superusers: to create an organisation and invite its first "
            'administrator, run manage.py create_organisation --name "Your Organisation" '
            '--admin-email you@example.org --admin-name "Your Name".'
        )


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique")]

    def __str__(self) -> str:
        return self.full_name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0]

    @property
    def is_staff(self) -> bool:
        # Keywork has no Django admin site; nobody is "staff" in Django's sense.
        return False


class Membership(OrganisationThrough, models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(ROLES_IN_A_TEAM), team__isnull=False, service=None)
                    | models.Q(
                        role__in=sorted(ROLES_FOR_A_SERVICE), team=None, service__isnull=False
                    )
                    | models.Q(role=Role.ADMINISTRATOR, team=None, service=None)
                ),
                name="membership_place_fits_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "team"],
                condition=models.Q(team__isnull=False),
                name="membership_unique_in_team",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "service"],
                condition=models.Q(service__isnull=False),
                name="membership_unique_for_service",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(team=None, service=None),
                name="membership_unique_in_organisation",
            ),
        ]

    def __str__(self) -> str:
        place = self.team or self.service
        return f"{self.get_role_display()}, {place}" if place else self.get_role_display()

    organisation_through = "user"


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField("email address")
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True)
    # Only a hash is kept: the link in the email is the one copy of the token.
    token_hash = models.CharField(max_length=64, unique=True)
    # Empty for the first administrator, invited from the command line.
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.full_name}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class StaffSession(AbstractBaseSession):
    """Django's database session, with the user beside it so that deactivating someone
    ends every session they have, on every device."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions"
    )

    @classmethod
    def get_session_store_class(cls):
        from keywork.accounts.sessions import SessionStore

        return SessionStore


class SignInFailure(models.Model):
    """A wrong password, by the client address it came from and nothing else: what slows
    one address trying many accounts. Rows older than the window are deleted."""

    ip_address = models.GenericIPAddressField()
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "at"])]

    def __str__(self) -> str:
        return f"Wrong password at {self.at:%Y-%m-%d %H:%M}"
