from datetime import date

from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.core.models import Notification
from keywork.people.models import Episode, Person, Referral

TODAY = timezone.localdate


def person_data(**overrides):
    return {
        "first_name": "Robert",
        "last_name": "Smith",
        "date_of_birth": "14/02/1980",
        "gender": "man",
        "ethnicity": "not_asked",
        "religion": "not_asked",
        "sexual_orientation": "prefer_not_to_say",
        "disability": "not_asked",
        "support_needs": ["mental_health", "alcohol"],
        "primary_need": "mental_health",
        "ni_number": "ab 12 34 56 c",
    } | overrides


def record(client, **overrides) -> Person:
    response = client.post(reverse("people:person_new"), person_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Person.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def refer(client, person, service, **overrides) -> Referral:
    data = {
        "service": service.pk,
        "received_on": TODAY().strftime("%d/%m/%Y"),
        "source": "council",
        "reason": "Needs somewhere safe to live after hospital discharge.",
    } | overrides
    response = client.post(reverse("people:referral_new", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Referral.objects.filter(person=person, service=service).latest("pk")


def accept(client, referral, key_worker, **overrides):
    data = {
        "decision": "accept",
        "start_date": TODAY().strftime("%d/%m/%Y"),
        "key_worker": key_worker.pk,
    } | overrides
    return client.post(reverse("people:referral", args=[referral.pk]), data)


def test_it_records_a_person_refers_them_and_starts_support(client_for, world):
    client = client_for("worker")
    person = record(client)
    assert person.ni_number == "AB123456C"
    assert person.date_of_birth == date(1980, 2, 14)
    assert [n.need for n in person.support_needs.all()] == ["mental_health", "alcohol"]

    referral = refer(client, person, world.service)
    assert referral.status == "new"
    waiting = client.get(reverse("people:waiting_list", args=[world.service.pk]))
    assert "Robert Smith" in waiting.content.decode()

    response = accept(client, referral, world.worker)
    assert response.status_code == 302
    episode = Episode.objects.get(person=person)
    assert episode.key_worker == world.worker and episode.is_open
    referral.refresh_from_db()
    assert referral.status == "accepted"

    caseload = client.get(reverse("people:my_caseload")).content.decode()
    assert "Robert Smith" in caseload and "Harbour House" in caseload

    # The colleague in the same team sees the person; the other team does not.
    assert (
        client_for("colleague").get(reverse("people:person", args=[person.pk])).status_code == 200
    )
    other = client_for("other_team_worker")
    assert other.get(reverse("people:person", args=[person.pk])).status_code == 404


def test_it_logs_every_view_of_a_person(client_for, world):
    client = client_for("worker")
    person = record(client)
    client.get(reverse("people:person", args=[person.pk]))
    client.get(reverse("people:person", args=[person.pk]))
    views = AuditEntry.objects.get_for_object(person).filter(action=AuditEntry.Action.ACCESS)
    assert views.count() == 2
    assert {v.actor for v in views} == {world.worker}


def test_it_warns_of_a_near_duplicate_before_saving(client_for, world):
    client = client_for("worker")
    first = record(client)
    response = client.post(
        reverse("people:person_new"),
        person_data(first_name="Bob", last_name="Smyth", ni_number=""),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This may be someone Keywork already has a record for" in page
    assert f"record {first.pk}" in page
    assert Person.objects.count() == 1

    confirmed = client.post(
        reverse("people:person_new"),
        person_data(
            first_name="Bob",
            last_name="Smyth",
            ni_number="",
            checked_duplicates="1",
            not_a_duplicate="on",
        ),
    )
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_it_ends_and_reopens_an_episode(client_for, world):
    client = client_for("worker")
    person = record(client)
    accept(client, refer(client, person, world.service), world.worker)
    episode = Episode.objects.get(person=person)
    url = reverse("people:episode_end", args=[episode.pk])
    response = client.post(
        url,
        {
            "end_date": TODAY().strftime("%d/%m/%Y"),
            "end_reason": "planned",
            "destination": "social_tenancy",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.end_date == TODAY() and episode.destination == "social_tenancy"

    again = client.post(
        url,
        {
            "end_date": TODAY().strftime("%d/%m/%Y"),
            "end_reason": "planned",
            "destination": "social_tenancy",
        },
    )
    assert "This episode has already ended" in again.content.decode()

    client.post(reverse("people:episode_reopen", args=[episode.pk]))
    episode.refresh_from_db()
    assert episode.is_open
    assert (
        AuditEntry.objects.get_for_object(episode).filter(action=AuditEntry.Action.UPDATE).count()
        == 2
    )


def test_it_moves_a_whole_caseload_at_once_and_tells_the_new_worker(client_for, world):
    worker = client_for("worker")
    episodes = []
    for i in range(30):
        person = record(
            worker,
            first_name=f"Person{i}",
            last_name=f"Number{i}",
            ni_number="",
            date_of_birth=f"{(i % 27) + 1:02d}/03/1970",
            checked_duplicates="1",
            not_a_duplicate="on",
        )
        accept(worker, refer(worker, person, world.service), world.worker)
    episodes = list(Episode.objects.filter(key_worker=world.worker))
    assert len(episodes) == 30

    senior = client_for("senior")
    url = reverse("people:team_caseload", args=[world.team.pk])
    response = senior.post(
        url, {"episodes": [e.pk for e in episodes], "new_key_worker": world.colleague.pk}
    )
    assert response.status_code == 302
    assert Episode.objects.filter(key_worker=world.colleague).count() == 30
    moves = AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, actor=world.senior, changes__has_key="key_worker"
    )
    assert moves.count() == 30
    assert Notification.objects.filter(user=world.colleague).count() == 1


def test_it_refuses_an_administrator_or_commissioner_as_key_worker(client_for, world):
    client = client_for("worker")
    person = record(client)
    referral = refer(client, person, world.service)
    for who in (world.admin, world.commissioner, world.other_team_worker):
        response = accept(client, referral, who)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not Episode.objects.exists()


def test_it_pages_the_team_caseload_and_moves_people_from_the_page_shown(
    client_for, world, monkeypatch
):
    from keywork.people import selectors
    from keywork.testing.factories import supported_person

    monkeypatch.setattr(selectors, "TEAM_CASELOAD_PAGE_SIZE", 5)
    for n in range(7):
        supported_person(world, f"P{n}")
    senior = client_for("senior")
    url = reverse("people:team_caseload", args=[world.team.pk])

    first = senior.get(url, {"sort": "name"})
    assert "7 people: showing 1 to 5." in first.content.decode()
    assert [r.person.first_name for r in first.context["rows"]] == ["P0", "P1", "P2", "P3", "P4"]
    second = senior.get(url, {"sort": "name", "page": "2"})
    assert [r.person.first_name for r in second.context["rows"]] == ["P5", "P6"]
    assert 'href="?sort=name&amp;page=1"' in second.content.decode()  # keeps the order
    assert senior.get(url, {"page": "junk"}).context["page"].number == 1

    # Someone on the page shown can be moved; someone on another page cannot, from here.
    on_page, elsewhere = second.context["rows"][0], first.context["rows"][0]
    refused = senior.post(
        f"{url}?sort=name&page=2",
        {"episodes": [elsewhere.pk], "new_key_worker": world.colleague.pk},
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    unfinished = senior.post(f"{url}?sort=name&page=2", {"episodes": [on_page.pk]})
    assert "Choose the new key worker" in unfinished.content.decode()
    assert f'value="{on_page.pk}" checked' in unfinished.content.decode()  # still chosen
    moved = senior.post(
        f"{url}?sort=name&page=2",
        {"episodes": [on_page.pk], "new_key_worker": world.colleague.pk},
    )
    assert moved.status_code == 302
    assert list(Episode.objects.filter(key_worker=world.colleague)) == [on_page]
