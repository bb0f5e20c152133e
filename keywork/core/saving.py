"""The save every service makes, and the check that keeps two people's edits apart.

`save_checked` validates a row and saves it with the actor named in its audit row. A
record two people may edit at once carries a `version`: a service saves over it only
the version the user opened (`check_version`), so a later save never silently writes
over an earlier one; otherwise it raises `ChangedSinceOpened` with the record as it now
is, and the page shows both, nothing saved."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model

from keywork.core.auditing import set_actor

Saved = TypeVar("Saved", bound=Model)

CHANGED = (
    "Someone else changed this {what} after you opened it. Your changes are below and "
    "have not been saved: check them against the {what} as it is now, then save again."
)


class ChangedSinceOpened(ValidationError):
    """Someone else saved the record after this form was opened: nothing was saved.
    `current` is the record as it now is (None if it has gone)."""

    def __init__(self, what: str, current: Any = None, *, message: str = "") -> None:
        super().__init__(message or CHANGED.format(what=what))
        self.current = current

    @property
    def current_version(self) -> int:
        return getattr(self.current, "version", 0) or 0


def check_version(current: Any, opened_version: int | None, *, what: str) -> None:
    """Raises ChangedSinceOpened unless `current` (locked with select_for_update, or
    None if there is none yet) is still at the version the user opened."""
    now = getattr(current, "version", None) if current is not None else None
    if current is None and not opened_version:
        return  # a first save, from a form opened on nothing
    if now is None or now != opened_version:
        raise ChangedSinceOpened(what, current)


def save_checked(actor: Any, obj: Saved, *, update_fields: list[str] | None = None) -> Saved:
    """Validates the row and saves it, its audit row naming the actor."""
    obj.full_clean()
    with set_actor(actor):
        obj.save(update_fields=update_fields)
    return obj


def save_first(
    actor: Any, obj: Saved, *, what: str, theirs: Callable[[], Any], message: str = ""
) -> Saved:
    """Saves the one record of its kind (the plan of an episode, a person's risk
    assessment). If someone else saved theirs a moment before, the database's one-only
    rule refuses this one: nothing is saved, and ChangedSinceOpened carries theirs."""
    obj.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic(), set_actor(actor):
            obj.save()
    except IntegrityError as error:
        _forget_as_the_one(obj)
        raise ChangedSinceOpened(what, theirs(), message=message) from error
    return obj


def _forget_as_the_one(obj: Model) -> None:
    """The refused row was made with its parent (person.risk_assessment = this row):
    the parent forgets it, so that the page shows theirs, not one never saved."""
    for field in obj._meta.concrete_fields:
        if not field.one_to_one:
            continue
        parent = field.get_cached_value(obj, None)
        if parent is not None:
            parent._state.fields_cache.pop(field.remote_field.get_accessor_name(), None)
