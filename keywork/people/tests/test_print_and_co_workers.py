from django.urls import reverse

from keywork.audit.models import AuditEntry
from keywork.core.models import Notification
from keywork.people.models import Episode, EpisodeWorker
from keywork.people.tests.test_casework_flow import accept, record, refer


def supported(client, world, **overrides):
    person = record(client, **overrides)
    accept(client, refer(client, person, world.service), world.worker)
    return person


def test_it_leaves_a_confidential_address_off_a_printout_unless_chosen_and_audits_the_choice(
    client_for, world
):
    client = client_for("worker")
    person = supported(client, world, address="4 Hidden Lane", address_confidential="on")
    url = reverse("people:person_print", args=[person.pk])
    page = client.get(url).content.decode()
    assert "4 Hidden Lane" not in page and "Confidential: not printed" in page

    refused = client.post(url, {"include_address": "on", "purpose": ""}).content.decode()
    assert "Say why the address must be included" in refused and "4 Hidden Lane" not in refused

    shown = client.post(url, {"include_address": "on", "purpose": "Court letter"}).content.decode()
    assert "4 Hidden Lane" in shown
    release = AuditEntry.objects.get_for_object(person).filter(
        changes__has_key="confidential address released"
    )
    assert release.get().actor == world.worker
    assert release.get().changes["confidential address released"] == ["", "Court letter"]


def test_it_prints_an_ordinary_address(client_for, world):
    client = client_for("worker")
    person = supported(client, world, address="12 Open Road")
    assert (
        "12 Open Road"
        in client.get(reverse("people:person_print", args=[person.pk])).content.decode()
    )


def test_it_adds_and_removes_co_workers_and_tells_them(client_for, world):
    client = client_for("worker")
    person = supported(client, world)
    episode = Episode.objects.get(person=person)
    url = reverse("people:co_workers", args=[episode.pk])
    client.post(url, {"action": "add", "user": world.colleague.pk})
    worker = EpisodeWorker.objects.get(episode=episode)
    assert worker.user == world.colleague
    assert Notification.objects.filter(user=world.colleague, text__contains="co-worker").exists()
    # The colleague now has the person on their caseload as co-worker.
    caseload = client_for("colleague").get(reverse("people:my_caseload")).content.decode()
    assert "Co-worker" in caseload

    refused = client.post(url, {"action": "add", "user": world.worker.pk})
    assert "is already the key worker" in refused.content.decode()
    outsider = client.post(url, {"action": "add", "user": world.other_org_worker.pk})
    assert "Select a valid choice" in outsider.content.decode()

    client.post(url, {"action": "remove", "worker": worker.pk})
    assert not EpisodeWorker.objects.filter(pk=worker.pk).exists()
    assert (
        client_for("other_team_worker")
        .post(url, {"action": "add", "user": world.colleague.pk})
        .status_code
        == 404
    )
