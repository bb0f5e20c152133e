import time_machine
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.core.models import Notification
from keywork.people.models import BreakGlassAccess, Person
from keywork.people.tests.test_casework_flow import accept, person_data, record, refer

NEW = reverse("people:person_new")


def test_it_explains_each_bad_value_and_saves_nothing(client_for):
    client = client_for("worker")
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).strftime("%d/%m/%Y")
    cases = [
        ({"ni_number": "QQ123456C"}, "Enter a National Insurance number in the right format"),
        ({"ni_number": "AB123456E"}, "Enter a National Insurance number in the right format"),
        ({"nhs_number": "943 476 5918"}, "This NHS number is not valid"),
        ({"nhs_number": "12345"}, "Enter an NHS number of 10 digits"),
        ({"date_of_birth": tomorrow}, "The date of birth must be in the past"),
        ({"date_of_birth": "31/02/1990"}, "Enter the date of birth as a real date"),
        ({"estimated_age": "40"}, "Give a date of birth or an estimated age, not both"),
        ({"estimated_age": "-3", "date_of_birth": ""}, "The estimated age must be 0 or more"),
        ({"first_name": ""}, "Enter the first name"),
        ({"gender": "dragon"}, "Select a valid choice"),
    ]
    for overrides, message in cases:
        response = client.post(NEW, person_data(**overrides))
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), overrides
    assert not Person.objects.exists()


def test_it_keeps_an_estimated_age_as_a_birth_year(client_for):
    client = client_for("worker")
    person = record(client, date_of_birth="", estimated_age="45", ni_number="")
    assert person.estimated_birth_year == timezone.localdate().year - 45
    page = client.get(reverse("people:person", args=[person.pk])).content.decode()
    assert "Age about 45 (estimated)" in page


def test_it_refuses_a_second_record_with_the_same_ni_number(client_for):
    client = client_for("worker")
    record(client)
    response = client.post(
        NEW,
        person_data(
            first_name="Someone",
            last_name="Else",
            date_of_birth="01/01/1960",
            checked_duplicates="1",
            not_a_duplicate="on",
        ),
    )
    assert "already has this National Insurance number" in response.content.decode()
    assert Person.objects.count() == 1


def test_it_tells_the_second_of_two_editors_and_loses_neither_edit(client_for, world):
    first = client_for("worker")
    second = client_for("colleague")
    person = record(first)
    accept(first, refer(first, person, world.service), world.worker)
    url = reverse("people:person_edit", args=[person.pk])
    version = person.version

    first.post(url, person_data(phone="07700 900001", version=version))
    response = second.post(url, person_data(phone="07700 900002", version=version))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this record after you opened it" in page
    assert "07700 900001" in page  # the record as it is now
    assert "07700 900002" in page  # the second editor's own change, still in the form
    person.refresh_from_db()
    assert person.phone == "07700 900001"

    # Saving again from the refreshed form, knowingly, wins.
    new_version = response.context["form"].data["version"]
    second.post(url, person_data(phone="07700 900002", version=new_version))
    person.refresh_from_db()
    assert person.phone == "07700 900002"


def test_it_shows_alerts_as_a_banner_on_every_page_about_the_person(client_for, world):
    client = client_for("worker")
    person = record(client)
    client.post(
        reverse("people:alert_new", args=[person.pk]),
        {"text": "Do not visit alone", "level": "danger"},
    )
    for url in (
        reverse("people:person", args=[person.pk]),
        reverse("people:person_edit", args=[person.pk]),
        reverse("people:referral_new", args=[person.pk]),
        reverse("people:consent_new", args=[person.pk]),
    ):
        page = client.get(url).content.decode()
        assert 'class="kw-alert kw-alert--danger"' in page and "Do not visit alone" in page, url


def test_it_finds_people_by_part_of_a_name_accents_date_of_birth_and_identifier(client_for, world):
    client = client_for("worker")
    zoe = record(
        client, first_name="Zoë", last_name="O'Brien", ni_number="", date_of_birth="03/04/1975"
    )
    accept(client, refer(client, zoe, world.service), world.worker)
    client.post(
        reverse("people:identifier_new", args=[zoe.pk]), {"kind": "chain", "value": "CH-7781"}
    )

    def found(query):
        response = client.get(reverse("people:search"), {"q": query})
        return [p.pk for p in response.context["results"]]

    for query in ("zoe", "ZOË", "brie", "o'brien zo", "03/04/1975", "CH-7781", str(zoe.pk)):
        assert found(query) == [zoe.pk], query
    assert found("nobody-like-this") == []


def test_it_never_reveals_people_the_user_cannot_see_in_search(client_for, world):
    other = client_for("other_team_worker")
    hidden = record(other, first_name="Hidden", last_name="Person", ni_number="")
    accept(other, refer(other, hidden, world.other_service), world.other_team_worker)
    response = client_for("worker").get(reverse("people:search"), {"q": "hidden"})
    assert list(response.context["results"]) == []
    assert "Hidden" not in response.content.decode()


def test_it_opens_a_record_by_break_glass_for_an_hour_and_tells_the_lead_manager(client_for, world):
    other = client_for("other_team_worker")
    person = record(
        other, first_name="Grace", last_name="Hopper", ni_number="", date_of_birth="09/12/1966"
    )
    accept(other, refer(other, person, world.other_service), world.other_team_worker)
    lead = world.lead_manager
    lead.memberships.create(role="lead_manager", team=world.other_team)

    worker = client_for("worker")
    page = reverse("people:person", args=[person.pk])
    assert worker.get(page).status_code == 404

    url = reverse("people:break_glass")
    short = worker.post(
        url, {"reason": "urgent", "last_name": "Hopper", "date_of_birth": "09/12/1966"}
    )
    assert "20 characters or more" in short.content.decode()
    wrong = worker.post(
        url,
        {
            "reason": "Police at the door asking about her welfare now.",
            "last_name": "Hopper",
            "date_of_birth": "10/12/1966",
        },
    )
    assert "No record matches exactly" in wrong.content.decode()
    assert not BreakGlassAccess.objects.exists()

    response = worker.post(
        url,
        {
            "reason": "Police at the door asking about her welfare now.",
            "last_name": "hopper",
            "date_of_birth": "09/12/1966",
        },
    )
    assert response["Location"] == page
    assert worker.get(page).status_code == 200
    grant = BreakGlassAccess.objects.get()
    assert grant.user == world.worker and "Police at the door" in grant.reason
    assert AuditEntry.objects.get_for_object(grant).get().actor == world.worker
    assert Notification.objects.filter(user=lead, text__contains="break-glass").exists()

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=61)):
        fresh = client_for("worker")
        assert fresh.get(page).status_code == 404


def test_it_records_contacts_consent_and_professionals(client_for, world):
    client = client_for("worker")
    person = record(client)
    client.post(
        reverse("people:emergency_contact_new", args=[person.pk]),
        {"name": "Ann Smith", "relationship": "Sister", "phone": "0117 496 0000"},
    )
    client.post(
        reverse("people:consent_new", args=[person.pk]),
        {
            "shared_with": "Avon Mental Health Team",
            "purpose": "Care planning",
            "given_on": "01/11/2026",
        },
    )
    client.post(
        reverse("people:professional_new", args=[person.pk]), {"role": "gp", "name": "Dr Patel"}
    )
    page = client.get(reverse("people:person", args=[person.pk])).content.decode()
    for text in ("Ann Smith (Sister)", "With Avon Mental Health Team", "GP: Dr Patel"):
        assert text in page
    bad = client.post(
        reverse("people:consent_new", args=[person.pk]),
        {"shared_with": "X", "purpose": "Y", "given_on": "01/11/2026", "expires_on": "01/10/2026"},
    )
    assert "The expiry date must be after" in bad.content.decode()


def test_it_checks_and_tidies_a_uk_postcode(client_for, world):
    client = client_for("worker")
    refused = client.post(NEW, person_data(postcode="NOT A CODE")).content.decode()
    assert "Enter a real UK postcode, like BS1 4DJ" in refused
    assert not Person.objects.exists()
    client.post(NEW, person_data(postcode="bs14dj"))
    assert Person.objects.get().postcode == "BS1 4DJ"
