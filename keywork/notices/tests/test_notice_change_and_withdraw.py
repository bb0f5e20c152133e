"""Changing a notice (only over the version opened; who it is for only while no one has
had it), withdrawing it (it leaves what is handed out and keeps who had it), and the
receipts refused once it has expired or been withdrawn."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.core.saving import ChangedSinceOpened
from keywork.notices import selectors, services
from keywork.notices.models import Notice, Receipt
from keywork.notices.tests.test_notice_delivery import _house, _notice

DAY = timedelta(days=1)


def _words(**more):
    return {
        "title": "Fire doors are changing on Tuesday",
        "body": "New fire doors go in on Tuesday.",
        "language": "en",
        "expires_on": timezone.localdate() + 30 * DAY,
        "needs_acknowledgement": False,
        **more,
    }


def _day(day) -> str:
    return day.strftime("%d/%m/%Y")


def test_it_saves_a_change_over_the_version_opened_and_audits_it(world):
    house, _ = _house(world, 2)
    notice = _notice(world, house)
    changed = services.notice_update(
        actor=world.worker, notice=notice, version=notice.version, **_words()
    )
    assert changed.title == "Fire doors are changing on Tuesday" and changed.version == 2
    assert not changed.needs_acknowledgement
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Notice), object_pk=str(notice.pk)
    ).latest("pk")
    assert entry.actor == world.worker and "title" in entry.changes_dict

    with pytest.raises(ChangedSinceOpened):
        services.notice_update(
            actor=world.colleague, notice=notice, version=1, **_words(title="Old page")
        )
    notice.refresh_from_db()
    assert notice.title == "Fire doors are changing on Tuesday"


def test_it_shows_the_notice_as_it_now_is_when_someone_changed_it_first(world, client_for):
    house, _ = _house(world, 1)
    notice = _notice(world, house)
    url = reverse("notices:change", args=[notice.pk])
    client = client_for("support_assistant")
    page = client.get(url).content.decode()
    assert 'value="Fire doors are changing"' in page and 'name="audience"' in page
    services.notice_update(
        actor=world.worker, notice=notice, version=1, **_words(title="Changed by Wendy")
    )
    answer = client.post(
        url,
        {
            "title": "Changed by Sian",
            "body": "Sian's words.",
            "language": "en",
            "audience": "property",
            "property": house.pk,
            "version": 1,
        },
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Someone else changed this notice after you opened it" in text
    assert "The notice as it is now" in text and "Changed by Wendy" in text
    assert 'value="Changed by Sian"' in text and 'name="version" value="2"' in text
    assert Notice.objects.get().title == "Changed by Wendy"


def test_it_changes_who_it_is_for_only_while_no_one_has_had_it(world, client_for):
    house, people = _house(world, 2)
    notice = _notice(world, house)
    changed = services.notice_update(
        actor=world.worker, notice=notice, version=1, audience="service", **_words()
    )
    assert changed.audience == "service" and changed.property is None
    services.receipts_record(
        actor=world.worker, notice=notice, people=people[:1], received_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        services.notice_update(
            actor=world.worker,
            notice=notice,
            version=2,
            audience="property",
            property=house,
            **_words(),
        )
    assert refused.value.message_dict["audience"] == [
        "Someone has had this notice already: who it is for can no longer change."
    ]
    page = client_for("worker").get(reverse("notices:change", args=[notice.pk])).content.decode()
    assert "Who it is for cannot change: someone has had it already" in page
    assert 'name="audience"' not in page
    with pytest.raises(ValidationError) as refused:
        services.notice_update(
            actor=world.worker,
            notice=notice,
            version=2,
            **_words(expires_on=timezone.localdate() - 5 * DAY),
        )
    assert "cannot expire before then" in refused.value.message_dict["expires_on"][0]
    assert Notice.objects.get().version == 2


def test_it_withdraws_a_notice_out_of_every_list_to_hand_out_keeping_who_had_it(world, client_for):
    house, people = _house(world, 2)
    notice = _notice(world, house)
    services.receipts_record(
        actor=world.worker, notice=notice, people=people[:1], received_on=timezone.localdate()
    )
    client = client_for("support_assistant")
    url = reverse("notices:withdraw", args=[notice.pk])
    answer = client.post(url, {"reason": "  "})
    assert (
        answer.status_code == 200 and "Say why the notice is withdrawn" in answer.content.decode()
    )
    answer = client.post(url, {"reason": "The doors go in next month instead"})
    assert answer.status_code == 302
    notice.refresh_from_db()
    assert notice.withdrawn_by == world.support_assistant and notice.version == 2

    page = client.get(reverse("notices:notice", args=[notice.pk])).content.decode()
    assert "Withdrawn on" in page and "The doors go in next month instead" in page
    assert "Mark who received it" not in page and "Resident0 Ash" in page
    rounds = client.get(reverse("notices:round", args=[house.pk])).content.decode()
    assert "Fire doors are changing" not in rounds
    person = client.get(reverse("people:person", args=[people[1].pk])).content.decode()
    assert "Fire doors are changing" not in person
    listed = client.get(reverse("notices:list")).content.decode()
    assert "Withdrawn</strong>" in listed

    with pytest.raises(ValidationError) as refused:
        services.receipts_record(
            actor=world.worker, notice=notice, people=people[1:], received_on=timezone.localdate()
        )
    assert "withdrawn" in refused.value.message_dict["received_on"][0]
    with pytest.raises(ValidationError):
        services.notice_update(actor=world.worker, notice=notice, version=2, **_words())
    assert client.get(reverse("notices:change", args=[notice.pk])).status_code == 302
    assert Receipt.objects.count() == 1


def test_it_refuses_a_receipt_dated_after_it_expired_naming_the_field(world, client_for):
    house, people = _house(world, 2)
    today = timezone.localdate()
    notice = _notice(world, house, published_on=today - 10 * DAY, expires_on=today - 3 * DAY)
    answer = client_for("support_assistant").post(
        reverse("notices:received", args=[notice.pk]),
        {"people": [people[0].pk], "received_on": _day(today - 2 * DAY), "how": "by_hand"},
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "The date received cannot be after the notice expired" in text
    assert 'href="#id_received_on"' in text
    services.receipts_record(
        actor=world.worker, notice=notice, people=people[:1], received_on=today - 4 * DAY
    )
    assert [
        r.person for r in selectors.delivery(fetched_by=world.worker, notice=notice).receipts
    ] == [people[0]]
