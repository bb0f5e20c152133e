"""Who may run an event: casework staff of any of the services it belongs to."""

import rules

from keywork import access
from keywork.accounts.models import User
from keywork.events.models import Event


def event_service_ids(event: Event) -> set[int]:
    # Prefetched with the event where a page lists many, else one query.
    return {service.pk for service in event.services.all()}


@rules.predicate
def runs_event(user: User, event: Event | None) -> bool:
    if event is None or event.organisation_id != user.organisation_id:
        return False
    in_scope = access.service_ids_in_scope(user, access.Capability.CASEWORK)
    return in_scope is None or bool(event_service_ids(event) & in_scope)


RUN = access.does_casework & runs_event
