"""A notice for one property: three of five residents marked as received, the other two
listed as not yet, and the days from publishing to receipt right to the day."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from keywork.core.errors import NotFoundOrNotAllowed
from keywork.housing.models import Property, Tenancy, Unit
from keywork.notices import selectors, services
from keywork.notices.models import Notice, NoticeFile, Receipt
from keywork.testing.factories import supported_person

DAY = timedelta(days=1)


def _house(world, residents: int, service=None, key_worker=None):
    service = service or world.service
    today = timezone.localdate()
    house = Property.objects.create(
        organisation=service.organisation,
        service=service,
        name="Ash House",
        address="1 Ash Road",
        type="shared_house",
    )
    people = []
    for n in range(residents):
        episode = supported_person(
            world,
            f"Resident{n}",
            "Ash",
            service=service,
            key_worker=key_worker,
            recorded_by=key_worker,
            started=today - 30 * DAY,
        )
        unit = Unit.objects.create(
            property=house, name=f"Room {n + 1}", opened_on=today - 400 * DAY
        )
        Tenancy.objects.create(
            episode=episode,
            person=episode.person,
            unit=unit,
            kind="licence",
            start_date=today - 20 * DAY,
            created_by=episode.key_worker,
        )
        people.append(episode.person)
    return house, people


def _notice(world, house, **more):
    return services.notice_create(
        actor=world.support_assistant,
        service=world.service,
        title="Fire doors are changing",
        body="New fire doors go in next week.",
        language="en",
        audience="property",
        property=house,
        published_on=more.pop("published_on", timezone.localdate() - 10 * DAY),
        needs_acknowledgement=True,
        **more,
    )


def test_it_lists_the_two_not_yet_received_and_times_delivery_to_the_day(world, client_for):
    house, people = _house(world, 5)
    notice = _notice(world, house)
    today = timezone.localdate()
    services.receipts_record(
        actor=world.support_assistant, notice=notice, people=people[:2], received_on=today - 7 * DAY
    )
    services.receipts_record(
        actor=world.support_assistant, notice=notice, people=people[2:3], received_on=today
    )
    shown = selectors.delivery(fetched_by=world.worker, notice=notice)
    assert [p.pk for p in shown.not_yet] == sorted(p.pk for p in people[3:])
    assert sorted(r.days_to_deliver for r in shown.receipts) == [3, 3, 10]
    assert shown.average_days == round(16 / 3, 1) and shown.longest_days == 10

    page = client_for("support_assistant").get(reverse("notices:notice", args=[notice.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="received-count">3 of 5<' in text
    assert "5.3 on average, 10 at the longest" in text
    not_yet = text[text.index('id="not-yet"') :]
    not_yet = not_yet[: not_yet.index("</ul>")]
    assert "Resident3 Ash" in not_yet and "Resident4 Ash" in not_yet
    assert "Resident0 Ash" not in not_yet


def test_it_shows_nothing_of_people_the_reader_may_not_see(world, client_for):
    """The other team's lead manager cannot open the notice; and of two residents, the
    one supported elsewhere is in no list or count for the worker."""
    house, people = _house(world, 2)
    notice = _notice(world, house)
    page = client_for("other_team_worker").get(reverse("notices:notice", args=[notice.pk]))
    assert page.status_code == 404
    with pytest.raises(NotFoundOrNotAllowed):
        services.receipts_record(
            actor=world.other_team_worker,
            notice=notice,
            people=people[:1],
            received_on=timezone.localdate(),
        )
    assert not Receipt.objects.exists()


def test_it_refuses_an_empty_audience_naming_the_field(world):
    house = Property.objects.create(
        organisation=world.organisation,
        service=world.service,
        name="Empty House",
        address="2 Road",
        type="hostel",
    )
    with pytest.raises(ValidationError) as refused:
        _notice(world, house)
    assert "property" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.notice_create(
            actor=world.worker,
            service=world.service,
            title="Hello",
            body="Hi",
            language="en",
            audience="people",
            published_on=timezone.localdate(),
        )
    assert refused.value.message_dict["people"] == ["Choose the people the notice is for."]
    assert not Notice.objects.exists()


def test_it_refuses_an_expiry_before_publishing_and_a_receipt_before_it(world):
    house, people = _house(world, 1)
    with pytest.raises(ValidationError) as refused:
        _notice(world, house, expires_on=timezone.localdate() - 20 * DAY)
    assert "expires_on" in refused.value.message_dict
    notice = _notice(world, house)
    for day in (notice.published_on - DAY, timezone.localdate() + DAY):
        with pytest.raises(ValidationError) as refused:
            services.receipts_record(
                actor=world.worker, notice=notice, people=people, received_on=day
            )
        assert "received_on" in refused.value.message_dict
    services.receipts_record(
        actor=world.worker, notice=notice, people=people, received_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        services.receipts_record(
            actor=world.worker, notice=notice, people=people, received_on=timezone.localdate()
        )
    assert "already received" in refused.value.message_dict["people"][0]
    assert Receipt.objects.count() == 1


def test_it_records_an_acknowledgement_on_their_behalf(world, client_for):
    house, people = _house(world, 1)
    notice = _notice(world, house)
    (receipt,) = services.receipts_record(
        actor=world.worker, notice=notice, people=people, received_on=timezone.localdate() - DAY
    )
    person_page = client_for("worker").get(reverse("people:person", args=[people[0].pk]))
    assert "Had, still to acknowledge" in person_page.content.decode()
    client = client_for("support_assistant")
    answer = client.post(
        reverse("notices:acknowledge", args=[receipt.pk]), {"acknowledged_on": "01/01/2020"}
    )
    assert answer.status_code == 200 and "before they received it" in answer.content.decode()
    answer = client.post(
        reverse("notices:acknowledge", args=[receipt.pk]),
        {"acknowledged_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert answer.status_code == 302
    receipt.refresh_from_db()
    assert receipt.acknowledged_on == timezone.localdate()
    assert receipt.acknowledged_recorded_by == world.support_assistant
    timeline = client.get(reverse("timeline:timeline", args=[people[0].pk])).content.decode()
    assert "Acknowledged a notice: Fire doors are changing" in timeline
    assert "Received a notice: Fire doors are changing" in timeline


def test_it_refuses_a_file_of_the_wrong_type_and_keeps_a_real_pdf(world, client_for):
    house, _ = _house(world, 1)
    notice = _notice(world, house)
    client = client_for("support_assistant")
    url = reverse("notices:file_new", args=[notice.pk])
    wrong = client.post(url, {"kind": "leaflet", "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert wrong.status_code == 200 and "The file must be a PDF" in wrong.content.decode()
    fake = client.post(url, {"kind": "leaflet", "file": SimpleUploadedFile("a.pdf", b"hello")})
    assert "its content is not" in fake.content.decode()
    assert not NoticeFile.objects.exists()
    good = client.post(
        url, {"kind": "easy_read", "file": SimpleUploadedFile("easy.pdf", b"%PDF-1.4 leaflet")}
    )
    assert good.status_code == 302
    item = NoticeFile.objects.get()
    download = client.get(reverse("notices:file", args=[item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert [f.path for f in services.stored_files()] == [f"notice-files/{item.stored_name}"]


def test_it_makes_a_notice_from_the_form_and_names_the_field_it_refuses(world, client_for):
    house, people = _house(world, 2)
    client = client_for("support_assistant")
    form = {
        "service": world.service.pk,
        "title": "House meeting",
        "body": "Come to the meeting.",
        "language": "en",
        "audience": "property",
        "published_on": timezone.localdate().strftime("%d/%m/%Y"),
        "expires_on": (timezone.localdate() - DAY).strftime("%d/%m/%Y"),
    }
    answer = client.post(reverse("notices:new"), form)
    text = answer.content.decode()
    assert answer.status_code == 200 and "Choose the property the notice is for." in text
    assert "cannot expire before it is published" in text
    assert not Notice.objects.exists()
    form.update(property=house.pk, expires_on="")
    answer = client.post(reverse("notices:new"), form)
    assert answer.status_code == 302
    notice = Notice.objects.get()
    rounds = client.get(reverse("notices:round", args=[house.pk])).content.decode()
    assert rounds.count("House meeting") >= 3  # the list, and each door's
    answer = client.post(
        reverse("notices:received", args=[notice.pk]),
        {
            "people": [people[0].pk],
            "received_on": timezone.localdate().strftime("%d/%m/%Y"),
            "how": "under_door",
        },
    )
    assert answer.status_code == 302
    assert Receipt.objects.get().how == "under_door"
