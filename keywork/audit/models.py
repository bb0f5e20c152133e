from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.utils import timezone

from keywork.organisations.models import Organisation


class AppendOnlyError(Exception):
    """The audit is evidence: nothing rewrites or removes it."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit rows cannot be deleted")


class AppendOnly:
    """Mixed into each audit model: a row is written once and never again."""

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")


def person_id_of(instance) -> int | None:
    """Whose record a row belongs to. A model with no person of its own (a goal, a note's
    kept version) says so with an `audit_person_id` property."""
    declared = getattr(instance, "audit_person_id", None)
    if declared is not None:
        return declared
    if instance._meta.label == "people.Person":
        return instance.pk
    return getattr(instance, "person_id", None)


def person_id_through(instance, *path: str) -> int | None:
    """The person of the record that `path` leads to (an action's goal's plan), for the
    `audit_person_id` of a model whose person is its parent's. Parents already loaded
    with the instance answer it; only a parent not loaded costs one query, for the rest
    of the path at once."""
    obj = instance
    for step, name in enumerate(path):
        field = obj._meta.get_field(name)
        if not field.is_cached(obj):
            parent_id = getattr(obj, field.attname)
            if parent_id is None:
                return None
            rest = "__".join([*path[step + 1 :], "person"])
            return (
                field.related_model._base_manager.filter(pk=parent_id)
                .values_list(rest, flat=True)
                .first()
            )
        obj = field.get_cached_value(obj)
        if obj is None:
            return None
    return obj.person_id


def organisation_id_of(instance) -> int | None:
    """Which organisation's audit a row goes in: the record's own organisation, or, for a
    record with none of its own (a membership, a goal), that of a parent already loaded
    with it. None when neither says; the audit then asks the person's record (below)."""
    if instance._meta.label == "organisations.Organisation":
        return instance.pk
    own = getattr(instance, "organisation_id", None)
    if own is not None:
        return own
    for field in instance._meta.concrete_fields:
        if field.many_to_one and field.is_cached(instance):
            parent = field.get_cached_value(instance)
            if parent is not None and "organisation" in {
                f.name for f in parent._meta.concrete_fields
            }:
                return parent.organisation_id
    return None


def _organisations_of_people(person_ids: set[int]) -> dict[int, int]:
    if not person_ids:
        return {}
    from django.apps import apps

    # By name: the audit sits below the areas and does not import them.
    person_model = apps.get_model("people", "Person")
    return dict(
        person_model._base_manager.filter(pk__in=person_ids).values_list("pk", "organisation_id")
    )


def _file_under_organisations(entries) -> None:
    """Rows written with no organisation but about a person go in the person's
    organisation's audit: one query for the lot."""
    unfiled = [e for e in entries if e.organisation_id is None and e.about_person_id]
    organisations = _organisations_of_people({e.about_person_id for e in unfiled})
    for entry in unfiled:
        entry.organisation_id = organisations.get(entry.about_person_id)


class AuditEntryQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        _file_under_organisations(objs)
        return super().bulk_create(objs, *args, **kwargs)


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        # Real columns, so that an organisation's audit, and everything about one
        # person, is one indexed filter.
        kwargs.setdefault("about_person_id", person_id_of(instance))
        kwargs.setdefault("organisation_id", organisation_id_of(instance))
        if kwargs["organisation_id"] is None and kwargs["about_person_id"]:
            organisations = _organisations_of_people({kwargs["about_person_id"]})
            kwargs["organisation_id"] = organisations.get(kwargs["about_person_id"])
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AppendOnly, AbstractLogEntry):
    """One change to a record (create, update, archive) or one view of a sensitive
    record, with who and when. django-auditlog writes these."""

    class Reason(models.TextChoices):
        """Why a record was read: the user's own work, cover while on call, or
        break-glass."""

        NORMAL = "normal", "Their work"
        ON_CALL = "on_call", "On call"
        BREAK_GLASS = "break_glass", "Break-glass"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Not a foreign key: the audit sits below the areas and outlives what it names.
    about_person_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["organisation", "-timestamp"]),
            models.Index(fields=["about_person_id", "-timestamp"]),
        ]


class AuthEvent(AppendOnly, models.Model):
    """Sign-in, failed sign-in, lock-out, sign-out and the other events of an account."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        SIGNED_OUT = "signed_out", "Signed out"
        TIMED_OUT = "timed_out", "Signed out for inactivity"
        TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
        TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor set up"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        DEACTIVATED = "deactivated", "Account deactivated"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What was typed at sign-in when it matches no account: needed to see an attack
    # on an address, and kept only here, never in the application log.
    email_tried = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
