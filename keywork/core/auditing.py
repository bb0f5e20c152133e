"""Who the audit names for the writes made inside a block.

django-auditlog's own set_actor leaves its context behind when the block ends: in a web
request, where its middleware has already set one, every audited write after a service's
block then went unnamed ("Keywork"). This one puts the request's context back on the
way out, so that every row names its actor."""

from collections.abc import Iterator
from contextlib import contextmanager

from auditlog.context import auditlog_value
from auditlog.context import set_actor as _auditlog_set_actor


@contextmanager
def set_actor(actor, remote_addr: str | None = None) -> Iterator[None]:
    outer = auditlog_value.get(None)
    try:
        with _auditlog_set_actor(actor, remote_addr=remote_addr):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)
