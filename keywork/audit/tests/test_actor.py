"""Every audit row names its actor, also for writes after a service's own block."""

from django.urls import reverse

from keywork.audit.models import AuditEntry
from keywork.core.auditing import set_actor
from keywork.organisations.models import Area


def test_it_names_the_outer_actor_again_after_an_inner_block(world):
    with set_actor(world.admin):
        with set_actor(world.lead_manager):
            Area.objects.create(organisation=world.organisation, name="Inner")
        Area.objects.create(organisation=world.organisation, name="After")
    actors = {
        e.object_repr: e.actor
        for e in AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, object_repr__in=["Inner", "After"]
        )
    }
    assert actors == {"Inner": world.lead_manager, "After": world.admin}


def test_it_names_the_actor_of_every_write_a_page_makes(world, client_for):
    client = client_for("worker")
    mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(
        reverse("people:person_new"),
        {
            "first_name": "Nia",
            "last_name": "Newcome",
            "support_needs": ["mental_health"],
            "primary_need": "mental_health",
            "gender": "not_asked",
            "ethnicity": "not_asked",
            "religion": "not_asked",
            "sexual_orientation": "not_asked",
            "disability": "not_asked",
        },
    )
    assert response.status_code == 302
    written = AuditEntry.objects.filter(pk__gt=mark).exclude(action=AuditEntry.Action.ACCESS)
    assert written.count() >= 2  # the person and their support needs
    assert set(written.values_list("actor", flat=True)) == {world.worker.pk}
