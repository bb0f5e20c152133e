from django.urls import reverse
from django.utils import timezone

from keywork.people.models import Episode, Referral
from keywork.people.tests.test_casework_flow import accept, record, refer


def day(offset: int) -> str:
    return (timezone.localdate() + timezone.timedelta(days=offset)).strftime("%d/%m/%Y")


def test_it_refuses_a_referral_from_the_future_or_without_a_reason(client_for, world):
    client = client_for("worker")
    person = record(client)
    url = reverse("people:referral_new", args=[person.pk])
    future = client.post(
        url, {"service": world.service.pk, "received_on": day(1), "source": "self", "reason": "x"}
    )
    assert "The date received cannot be in the future" in future.content.decode()
    blank = client.post(url, {"service": world.service.pk, "received_on": day(0), "source": "self"})
    assert "Enter the reason for the referral" in blank.content.decode()
    assert not Referral.objects.exists()


def test_it_declines_only_with_a_reason_and_keeps_the_waiting_list_in_date_order(client_for, world):
    client = client_for("worker")
    older = record(
        client, first_name="Older", last_name="Case", ni_number="", date_of_birth="01/01/1950"
    )
    newer = record(
        client, first_name="Newer", last_name="Case", ni_number="", date_of_birth="01/01/1990"
    )
    refer(client, newer, world.service, received_on=day(-1))
    old_referral = refer(client, older, world.service, received_on=day(-10))
    waiting = client.get(reverse("people:waiting_list", args=[world.service.pk]))
    rows = waiting.context["referrals"]
    assert [r.person for r in rows] == [older, newer]
    assert [r.days_waiting for r in rows] == [10, 1]

    url = reverse("people:referral", args=[old_referral.pk])
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert "Give the reason" in response.content.decode()
    client.post(url, {"decision": "decline", "reason": "Needs are too high for this service."})
    old_referral.refresh_from_db()
    assert old_referral.status == "declined" and old_referral.decided_by == world.worker
    again = client.post(url, {"decision": "decline", "reason": "Again"})
    assert again.status_code == 200
    assert "This referral has already been declined" in again.content.decode()


def test_it_refuses_an_episode_ending_before_it_starts_or_in_the_future(client_for, world):
    client = client_for("worker")
    person = record(client)
    accept(client, refer(client, person, world.service), world.worker, start_date=day(-5))
    episode = Episode.objects.get()
    url = reverse("people:episode_end", args=[episode.pk])
    for end, message in (
        (day(-6), "cannot be before the start date"),
        (day(1), "cannot be in the future"),
    ):
        response = client.post(
            url, {"end_date": end, "end_reason": "planned", "destination": "private_rented"}
        )
        assert message in response.content.decode()
    missing = client.post(url, {"end_date": day(0)})
    assert "Choose why support ended" in missing.content.decode()
    assert "Choose where they went, or Not known" in missing.content.decode()
    episode.refresh_from_db()
    assert episode.is_open


def test_it_lets_only_the_services_team_end_support(client_for, world):
    client = client_for("worker")
    person = record(client)
    accept(client, refer(client, person, world.service), world.worker)
    episode = Episode.objects.get()
    url = reverse("people:episode_end", args=[episode.pk])
    data = {"end_date": day(0), "end_reason": "planned", "destination": "private_rented"}
    assert client_for("other_team_worker").post(url, data).status_code == 404
    assert client_for("admin").post(url, data).status_code == 404
    episode.refresh_from_db()
    assert episode.is_open


def test_it_keeps_many_episodes_for_one_person_over_years(client_for, world):
    client = client_for("worker")
    person = record(client)
    accept(
        client,
        refer(client, person, world.service, received_on=day(-400)),
        world.worker,
        start_date=day(-390),
    )
    first = Episode.objects.get()
    client.post(
        reverse("people:episode_end", args=[first.pk]),
        {"end_date": day(-200), "end_reason": "custody", "destination": "custody"},
    )
    accept(
        client,
        refer(client, person, world.service, received_on=day(-10)),
        world.worker,
        start_date=day(-5),
    )
    assert person.episodes.count() == 2
    page = client.get(reverse("people:person", args=[person.pk])).content.decode()
    assert "Unplanned: custody" in page and page.count("Harbour House") >= 2
    # The old episode ended too long ago to be re-opened.
    response = client.post(reverse("people:episode_reopen", args=[first.pk]), follow=True)
    assert "Start a new episode instead" in response.content.decode()
    first.refresh_from_db()
    assert first.end_date is not None
