"""A form says everything wrong with it at once: the record's own rules (a real NHS
number, a UK postcode, a start date at most a month ahead, an end date not in the future)
show with the missing fields, not only once those are put right; each names its field."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.people.models import Person, Referral


def _errors(response) -> str:
    html = response.content.decode()
    start = html.index('class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def test_it_shows_the_nhs_number_and_postcode_checks_with_the_missing_names(client_for):
    response = client_for("worker").post(
        reverse("people:person_new"),
        {
            "first_name": "",
            "last_name": "Ellis",
            "nhs_number": "943 476 5910",
            "postcode": "ZZ9 9ZZZ",
            "ni_number": "12345",
            "date_of_birth": (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y"),
        },
    )
    summary = _errors(response)
    assert "Enter the first name" in summary
    assert "This NHS number is not valid: check the digits." in summary
    assert "Enter a real UK postcode, like BS1 4DJ" in summary
    assert "Enter a National Insurance number in the right format" in summary
    assert "The date of birth must be in the past." in summary
    assert 'href="#id_nhs_number"' in summary and 'href="#id_postcode"' in summary
    assert not Person.objects.exists()


def test_it_shows_them_together_when_editing_a_record_too(client_for, episode):
    person = episode.person
    response = client_for("worker").post(
        reverse("people:person_edit", args=[person.pk]),
        {"first_name": "Ruth", "last_name": "", "nhs_number": "12", "version": person.version},
    )
    summary = _errors(response)
    assert "Enter the last name" in summary
    assert "Enter an NHS number of 10 digits, like 943 476 5919." in summary


def test_it_shows_a_start_date_too_far_ahead_with_the_missing_key_worker(client_for, world):
    from keywork.people import services

    person = services.person_create(actor=world.worker, first_name="Sam", last_name="Start")
    referral = services.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate(),
        source="self",
        reason="r",
    )
    response = client_for("worker").post(
        reverse("people:referral", args=[referral.pk]),
        {
            "decision": "accept",
            "start_date": (timezone.localdate() + timedelta(days=60)).strftime("%d/%m/%Y"),
            "key_worker": "",
        },
    )
    summary = _errors(response)
    assert "Choose the key worker" in summary
    assert "The start date is too far ahead: at most a month." in summary
    referral.refresh_from_db()
    assert referral.status != Referral.Status.ACCEPTED


def test_it_shows_an_end_date_in_the_future_with_the_missing_reason(client_for, episode):
    response = client_for("worker").post(
        reverse("people:episode_end", args=[episode.pk]),
        {"end_date": (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")},
    )
    summary = _errors(response)
    assert "Choose why support ended" in summary
    assert "The end date cannot be in the future." in summary
    episode.refresh_from_db()
    assert episode.end_date is None
