from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Model
from django.http import HttpRequest

from keywork.audit.models import AuditEntry, AuthEvent, person_id_of
from keywork.audit.reads import record_read
from keywork.core.addresses import client_address

if TYPE_CHECKING:
    from keywork.accounts.models import User


def _client_ip(request: HttpRequest | None) -> str | None:
    # Behind a proxy, the address the proxy saw, as sign-in lock-outs count it.
    return None if request is None else client_address(request)


def auth_event_record(
    *,
    kind: str,
    request: HttpRequest | None,
    user: "User | None" = None,
    email_tried: str = "",
    actor: "User | None" = None,
) -> AuthEvent:
    organisation_id = getattr(user, "organisation_id", None) or getattr(
        actor, "organisation_id", None
    )
    return AuthEvent.objects.create(
        kind=kind,
        user=user,
        organisation_id=organisation_id,
        # Only an address that matches no account is kept as typed.
        email_tried="" if user is not None else email_tried[:254],
        ip_address=_client_ip(request),
    )


def record_view(
    *, actor: "User", obj: Model, request: HttpRequest | None = None
) -> AuditEntry | None:
    """A read of a sensitive record that did not come through the access module's
    lookups. Gathered with the request's other reads: one row per record a request."""
    return record_read(actor=actor, obj=obj)


def record_bulk_change(*, actor: "User", objects: Sequence[Model], changes: dict) -> None:
    """Audit rows for a change made to many records at once (a merge moving them)."""
    from django.contrib.contenttypes.models import ContentType

    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=ContentType.objects.get_for_model(obj),
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=AuditEntry.Action.UPDATE,
                changes=changes,
                actor=actor,
                organisation_id=getattr(obj, "organisation_id", None),
                about_person_id=person_id_of(obj),
            )
            for obj in objects
        ],
        batch_size=1000,
    )


def record_bulk_create(*, actor: "User", objects: Sequence[Model]) -> None:
    """The audit rows for records made in bulk, written in bulk too: one row per record,
    as if each had been saved on its own."""
    AuditEntry.objects.bulk_create(creation_entries(actor, objects), batch_size=1000)


def creation_entries(actor: "User", objects: Sequence[Model]) -> list[AuditEntry]:
    """Unsaved audit rows saying these records were made by import. A caller that sends
    them itself before the records have their keys fills in object_pk, object_id and,
    for a person, about_person_id."""
    from django.contrib.contenttypes.models import ContentType

    entries = []
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj)
        entries.append(
            AuditEntry(
                content_type=content_type,
                object_pk="" if obj.pk is None else str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=AuditEntry.Action.CREATE,
                changes={"created": ["", "by import"]},
                actor=actor,
                organisation_id=getattr(obj, "organisation_id", None),
                about_person_id=person_id_of(obj),
            )
        )
    return entries
