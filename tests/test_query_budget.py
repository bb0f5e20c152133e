"""A page's number of SQL queries does not grow with the data: each page is counted with
a small organisation, then again after adding many more staff, services, teams and audit
rows, and must stay the same and within its budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keywork.accounts.models import Role
from keywork.audit.services import record_view
from keywork.testing.factories import AreaFactory, ServiceFactory, TeamFactory, staff


def NO_ARGS(world):
    return {}


PAGES = [
    # (persona, url name, its arguments, budget)
    # Today: appointments, tasks due (and for managers incidents to sign off), and the
    # events and groups on today in the user's services (one query), and the on-call
    # rotas covering them (one query when there are none; see keywork/oncall's budgets),
    # and the user's own training records, for any expired or expiring (one query),
    # and who is due supervision among those the user supervises (one query) and, for a
    # manager, their teams' staff (four more), and the complaints overdue or due soon in
    # the services they manage (one query).
    ("worker", "home:home", NO_ARGS, 19),
    ("lead_manager", "home:home", NO_ARGS, 25),
    ("admin", "home:home", NO_ARGS, 12),
    ("commissioner", "home:home", NO_ARGS, 7),
    ("senior", "administration:staff_list", NO_ARGS, 8),
    ("admin", "administration:staff_list", NO_ARGS, 8),
    ("admin", "administration:staff_detail", lambda w: {"user_id": w.worker.pk}, 7),
    ("admin", "administration:staff_invite", NO_ARGS, 7),
    ("admin", "administration:role_add", lambda w: {"user_id": w.worker.pk}, 9),
    ("admin", "administration:organisation", NO_ARGS, 9),
    ("admin", "administration:service_edit", lambda w: {"service_id": w.service.pk}, 7),
    ("admin", "administration:team_edit", lambda w: {"team_id": w.team.pk}, 8),
    ("lead_manager", "administration:audit", NO_ARGS, 10),
    ("worker", "accounts:account", NO_ARGS, 6),
]


def grow(world, times: int = 8) -> None:
    for i in range(times):
        area = AreaFactory(organisation=world.organisation, name=f"Grown area {i}")
        service = ServiceFactory(organisation=world.organisation, area=area)
        team = TeamFactory(organisation=world.organisation, services=[service, world.service])
        world.team.services.add(service)
        for role in (Role.SUPPORT_WORKER, Role.SUPPORT_ASSISTANT, Role.SENIOR_PRACTITIONER):
            member = staff(role=role, team=team)
            staff(role=role, team=world.team)
            record_view(actor=world.lead_manager, obj=member)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("persona", "url_name", "arguments", "budget"), PAGES)
def test_it_keeps_the_query_count_flat_as_data_grows(
    client_for, world, persona, url_name, arguments, budget
):
    client = client_for(persona)
    url = reverse(url_name, kwargs=arguments(world))
    client.get(url)  # first request: session and content-type caches warm
    small = count(client, url)
    grow(world)
    large = count(client, url)
    assert large == small, f"{url} went from {small} to {large} queries"
    assert large <= budget, f"{url} made {large} queries, budget {budget}"
