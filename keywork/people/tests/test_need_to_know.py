"""Need to know on a person's record: a record a worker may not see shows nowhere, not as a
possible duplicate, not through a number typed in; the services refuse a caller who may
not see the person; deciding who is taken on and when support ends is a key worker's."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import Role
from keywork.audit.models import AuditEntry
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.models import Notification
from keywork.people import services
from keywork.people.models import (
    Alert,
    Consent,
    EmergencyContact,
    PersonIdentifier,
    PossibleDuplicate,
    Professional,
    Referral,
)
from keywork.testing.factories import staff, supported_person

BORN = date(1961, 2, 3)


@pytest.fixture
def elsewhere(world):
    """Someone supported by the other team, whom the worker may not see."""
    return supported_person(
        world,
        "Zebedee",
        "Quixotic",
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
        service=world.other_service,
        date_of_birth=BORN,
    ).person


@pytest.fixture
def own(world):
    return supported_person(world, "Ruth", "Ellis").person


def test_it_will_not_link_a_record_the_worker_may_not_see(world, client_for, own, elsewhere):
    client = client_for("worker")
    url = reverse("people:possible_duplicate_new", args=[own.pk])
    hidden = client.post(url, {"record_number": elsewhere.pk, "note": "Same?"})
    missing = client.post(url, {"record_number": elsewhere.pk + 1000, "note": "Same?"})
    assert hidden.status_code == missing.status_code == 200
    # The answer is the same for a record that exists elsewhere and one that does not.
    message = "There is no record with that number that you can see."
    assert message in hidden.content.decode()
    assert message in missing.content.decode()
    assert "Quixotic" not in hidden.content.decode()
    assert not PossibleDuplicate.objects.exists()
    with pytest.raises(NotFoundOrNotAllowed):
        services.possible_duplicate_mark(actor=world.worker, person=own, other=elsewhere)


def test_it_lists_only_the_possible_duplicates_the_viewer_may_see(
    world, client_for, own, elsewhere
):
    mine = supported_person(world, "Ruthie", "Ellis").person
    services.possible_duplicate_mark(actor=world.worker, person=own, other=mine)
    # Marked by someone who could see both (say, before the other team took them on).
    PossibleDuplicate.objects.create(person=own, other=elsewhere, marked_by=world.admin)
    page = client_for("worker").get(reverse("people:person", args=[own.pk])).content.decode()
    assert f"Record {mine.pk}: Ruthie Ellis" in page
    assert "Quixotic" not in page
    assert "03/02/1961" not in page
    assert "1 more possible duplicate held by another service" in page


def test_it_shows_a_likely_duplicate_elsewhere_only_as_held_by_another_service(
    world, client_for, elsewhere
):
    senior = staff(role=Role.SENIOR_PRACTITIONER, team=world.other_team, full_name="Fay Floating")
    client = client_for("worker")
    typed = {
        "first_name": "Zebedee",
        "last_name": "Quixotic",
        "date_of_birth": "03/02/1961",
        "gender": "not_asked",
        "ethnicity": "not_asked",
        "religion": "not_asked",
        "sexual_orientation": "not_asked",
        "disability": "not_asked",
    }
    page = client.post(reverse("people:person_new"), typed).content.decode()
    assert "A possible match exists in another service: Harbour Floating." in page
    assert f"record {elsewhere.pk}" not in page
    assert f'href="/people/{elsewhere.pk}/' not in page
    assert "same date of birth" not in page

    reference = page.split('name="ask_about" value="')[1].split('"')[0]
    asked = client.post(reverse("people:person_new"), {**typed, "ask_about": reference})
    assert "asked that service&#x27;s managers to check" in asked.content.decode()
    (told,) = Notification.objects.filter(user=senior)
    assert f"record {elsewhere.pk}" in told.text
    assert not Notification.objects.filter(user=world.worker).exists()
    # Nothing was recorded: the worker still decides.
    assert not type(elsewhere).objects.filter(created_by=world.worker).exists()


def test_it_refuses_a_forged_reference_to_ask_about(world):
    with pytest.raises(NotFoundOrNotAllowed):
        services.duplicate_check_ask(actor=world.worker, reference="1:forged")


# Each service that writes on a person's record, called by someone who may not see them.
WRITES = {
    "identifier_add": lambda w, p: services.identifier_add(
        actor=w, person=p, kind="chain", value="C1"
    ),
    "alert_add": lambda w, p: services.alert_add(actor=w, person=p, text="Dog", level="warning"),
    "emergency_contact_add": lambda w, p: services.emergency_contact_add(
        actor=w, person=p, name="Sam", relationship="Brother", phone="0117 000 0000"
    ),
    "consent_add": lambda w, p: services.consent_add(
        actor=w, person=p, shared_with="GP", purpose="Care", given_on=timezone.localdate()
    ),
    "professional_add": lambda w, p: services.professional_add(
        actor=w, person=p, role="gp", name="Dr Who"
    ),
    "person_update": lambda w, p: services.person_update(
        actor=w, person=p, version=p.version, first_name="Changed", last_name="Name"
    ),
    "confidential_address_release": lambda w, p: services.confidential_address_release(
        actor=w, person=p, purpose="Letter"
    ),
    "referral_create": lambda w, p: services.referral_create(
        actor=w,
        person=p,
        service=p.referrals.get().service,
        received_on=timezone.localdate(),
        source="self",
        reason="Wants help",
    ),
    "alert_end": lambda w, p: services.alert_end(actor=w, alert=p.alerts.get(), reason="Gone"),
    "consent_withdraw": lambda w, p: services.consent_withdraw(
        actor=w, consent=p.consents.get(), withdrawn_on=timezone.localdate()
    ),
}


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("outsider", ["worker", "other_org_worker", "admin", "commissioner"])
def test_it_refuses_a_write_on_a_record_the_caller_may_not_see(world, elsewhere, name, outsider):
    Alert.objects.create(
        person=elsewhere, text="Standing alert", created_by=world.other_team_worker
    )
    Consent.objects.create(
        person=elsewhere, shared_with="Probation", purpose="Risk", given_on=timezone.localdate()
    )
    counted = (Alert, Consent, EmergencyContact, PersonIdentifier, Professional, Referral)
    before = [model.objects.count() for model in counted], AuditEntry.objects.count()
    with pytest.raises(NotFoundOrNotAllowed):
        WRITES[name](world.persona(outsider), elsewhere)
    after = [model.objects.count() for model in counted], AuditEntry.objects.count()
    assert after == before
    elsewhere.refresh_from_db()
    assert elsewhere.first_name == "Zebedee"
    assert not elsewhere.alerts.get().ended_at
    assert not elsewhere.consents.get().withdrawn_on


def test_it_lets_the_team_write_on_their_own_person(world, own):
    for name, write in WRITES.items():
        if name in ("alert_end", "consent_withdraw"):
            continue
        write(world.colleague, own)
    assert own.identifiers.count() == 1
    assert own.alerts.count() == 1


def test_it_keeps_the_decision_to_decline_or_end_support_from_a_support_assistant(
    world, client_for
):
    assistant = staff(role=Role.SUPPORT_ASSISTANT, team=world.team, full_name="Ash Assistant")
    episode = supported_person(world, "Pat", "Doe")
    person = services.person_create(actor=world.worker, first_name="Lee", last_name="Roe")
    referral = services.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate(),
        source="self",
        reason="Wants help",
    )
    with pytest.raises(NotFoundOrNotAllowed):
        services.episode_close(
            actor=assistant,
            episode=episode,
            end_date=timezone.localdate(),
            end_reason="planned",
            destination="private_rented",
        )
    client = client_for(assistant)
    assert client.get(reverse("people:episode_end", args=[episode.pk])).status_code == 404
    person_page = client.get(reverse("people:person", args=[episode.person_id])).content.decode()
    assert "End support" not in person_page
    referral_page = client.get(reverse("people:referral", args=[referral.pk])).content.decode()
    assert "Accept and start support" not in referral_page
    assert ">Decline<" not in referral_page
    with pytest.raises(NotFoundOrNotAllowed):
        services.referral_decline(actor=assistant, referral=referral, reason="Not eligible")
    # A support assistant can still start an assessment and record a withdrawal.
    services.referral_start_assessment(actor=assistant, referral=referral)
    # And the key worker decides.
    services.referral_decline(actor=world.worker, referral=referral, reason="Not eligible")
    assert (
        "End support"
        in client_for("worker")
        .get(reverse("people:person", args=[episode.person_id]))
        .content.decode()
    )


def test_it_tells_the_managers_of_a_service_that_holds_only_a_referral(world):
    person = services.person_create(actor=world.worker, first_name="Ola", last_name="Outreach")
    services.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate() - timedelta(days=1),
        source="self",
        reason="Met on outreach",
    )
    services.break_glass(
        actor=world.other_team_worker,
        person=person,
        reason="Called by the police about a welfare check tonight",
    )
    (told,) = Notification.objects.filter(user=world.lead_manager)
    assert "break-glass" in told.text


def test_it_answers_a_bad_reference_to_the_service_with_a_field_error(world, own):
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            actor=world.worker,
            person=own,
            service=world.other_org_service,
            received_on=timezone.localdate(),
            source="self",
            reason="x",
        )
    assert "service" in error.value.message_dict
