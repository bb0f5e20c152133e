from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.audit.models import AuditEntry
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import ChangedSinceOpened
from keywork.notes.models import FileNote
from keywork.supervision import selectors, services
from keywork.supervision.models import Arrangement, Supervision
from keywork.testing.factories import supported_person

TODAY = timezone.localdate


def test_it_refuses_a_supervisor_who_is_the_supervisee(world):
    with pytest.raises(ValidationError) as refused:
        services.arrangement_set(
            actor=world.senior, supervisee=world.worker, supervisor=world.worker
        )
    assert "no one supervises themselves" in str(refused.value.message_dict["supervisor"])
    assert not Arrangement.objects.exists()


def test_it_refuses_a_supervisor_in_another_organisation(world):
    with pytest.raises(ValidationError) as refused:
        services.arrangement_set(
            actor=world.senior, supervisee=world.worker, supervisor=world.other_org_worker
        )
    assert "works in your organisation" in str(refused.value.message_dict["supervisor"])


def test_it_refuses_supervising_someone_in_another_organisation(world):
    with pytest.raises(NotFoundOrNotAllowed):
        services.arrangement_set(
            actor=world.senior, supervisee=world.other_org_worker, supervisor=world.senior
        )


def test_it_lets_only_the_team_managers_say_who_supervises(world):
    with pytest.raises(NotFoundOrNotAllowed):
        services.arrangement_set(
            actor=world.colleague, supervisee=world.worker, supervisor=world.senior
        )
    with pytest.raises(NotFoundOrNotAllowed):
        services.arrangement_set(
            actor=world.admin, supervisee=world.worker, supervisor=world.senior
        )


def test_it_checks_the_version_of_the_arrangement(world, arranged):
    with pytest.raises(ChangedSinceOpened):
        services.arrangement_set(
            actor=world.lead_manager,
            supervisee=world.worker,
            supervisor=world.lead_manager,
            version=0,
        )
    assert Arrangement.objects.get().supervisor == world.senior


def test_it_writes_each_case_discussion_on_the_persons_record(world, held, caseload):
    for person in caseload:
        services.case_discussion_add(
            actor=world.senior,
            supervision=held,
            person=person,
            decision=f"Plan a review for {person}",
        )
    notes = FileNote.objects.filter(contact_type=FileNote.ContactType.SUPERVISION)
    assert {note.person_id for note in notes} == {p.pk for p in caseload}
    assert notes.first().get_contact_type_display() == "Case discussion in supervision"
    # The note follows the person's own access: their team sees it, another team does not.
    assert access.may_see_person(world.colleague, caseload[0])
    assert not access.may_see_person(world.other_team_worker, caseload[0])


def test_it_refuses_to_discuss_someone_the_supervisor_may_not_see(world, held):
    elsewhere = supported_person(
        world,
        "Owen",
        "Other",
        service=world.other_service,
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
    ).person
    with pytest.raises(NotFoundOrNotAllowed):
        services.case_discussion_add(
            actor=world.senior, supervision=held, person=elsewhere, decision="Anything"
        )
    assert not FileNote.objects.filter(contact_type=FileNote.ContactType.SUPERVISION).exists()


def test_it_locks_the_record_once_the_supervisee_agrees(world, held):
    with pytest.raises(NotFoundOrNotAllowed):
        services.supervision_agree(actor=world.senior, supervision=held, version=held.version)
    agreed = services.supervision_agree(
        actor=world.worker, supervision=held, version=held.version, comment="A fair record."
    )
    assert agreed.is_locked and agreed.supervisee_comment == "A fair record."
    with pytest.raises(ValidationError, match="locked"):
        services.supervision_record(
            actor=world.senior, supervision=agreed, version=agreed.version, held_on=TODAY()
        )
    amendment = services.supervision_amend(
        actor=world.senior,
        supervision=agreed,
        field="workload",
        text="Eleven people; two moving on soon.",
        reason="Miscounted",
    )
    assert amendment.before == "Twelve people; two moving on soon."
    assert Supervision.objects.get(pk=held.pk).workload.startswith("Eleven")


def test_it_refuses_the_second_of_two_saves_from_the_same_version(world, held):
    services.supervision_record(
        actor=world.senior, supervision=held, version=held.version, held_on=held.held_on
    )
    with pytest.raises(ChangedSinceOpened):
        services.supervision_record(
            actor=world.lead_manager,
            supervision=held,
            version=held.version,
            held_on=held.held_on,
            wellbeing="Overwrites",
        )
    assert Supervision.objects.get(pk=held.pk).wellbeing == ""


def test_it_refuses_a_next_date_before_the_date_held(world, arranged):
    supervision = services.supervision_schedule(
        actor=world.senior, supervisee=world.worker, scheduled_for=TODAY()
    )
    with pytest.raises(ValidationError) as refused:
        services.supervision_record(
            actor=world.senior,
            supervision=supervision,
            version=supervision.version,
            held_on=TODAY(),
            next_on=TODAY() - timedelta(days=3),
        )
    assert "next_on" in refused.value.message_dict


def test_it_carries_open_actions_to_the_next_supervision(world, held):
    action = services.supervision_action_add(
        actor=world.senior,
        supervision=held,
        text="Book the course",
        owner=world.worker,
        due_on=TODAY() + timedelta(days=14),
    )
    services.supervision_agree(actor=world.worker, supervision=held, version=held.version)
    following = Supervision.objects.get(scheduled_for=held.next_on)
    parts = selectors.supervision_parts(following, fetched_by=world.senior)
    assert [a.pk for a in parts["carried"]] == [action.pk]
    services.supervision_action_progress(
        actor=world.senior, supervision=following, action=action, progress="Booked", done=True
    )
    parts = selectors.supervision_parts(following, fetched_by=world.senior)
    assert parts["carried"][0].progress_here[0].progress == "Booked"


@pytest.mark.parametrize(
    ("persona", "answer"),
    [
        ("worker", 200),
        ("senior", 200),
        ("lead_manager", 200),
        ("colleague", 404),
        ("support_assistant", 404),
        ("admin", 404),
        ("other_lead_manager", 404),
        ("other_org_worker", 404),
    ],
)
def test_it_shows_the_record_only_to_the_supervisee_supervisor_and_managers(
    world, held, client_for, persona, answer
):
    response = client_for(persona).get(reverse("supervision:record", args=[held.pk]))
    assert response.status_code == answer
    if answer == 200:
        assert b"Tired after a hard week" in response.content


def test_it_audits_each_read_of_a_record(world, held, client_for):
    client_for("lead_manager").get(reverse("supervision:record", args=[held.pk]))
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.ACCESS,
        actor=world.lead_manager,
        object_id=held.pk,
        content_type__model="supervision",
    ).exists()


def test_it_shows_overdue_supervision_red_on_the_supervisors_and_managers_home(
    world, arranged, client_for
):
    services.supervision_schedule(
        actor=world.senior, supervisee=world.worker, scheduled_for=TODAY() - timedelta(days=3)
    )
    for persona in ("senior", "lead_manager"):
        page = client_for(persona).get(reverse("home:home")).content.decode()
        assert "Wendy Worker" in page and 'govuk-tag--red">Overdue' in page
    assert (
        "Overdue in your teams"
        not in client_for("colleague").get(reverse("home:home")).content.decode()
    )


def test_it_works_out_the_next_due_from_the_roles_frequency(world, held):
    Supervision.objects.filter(held_on=None).delete()
    services.frequency_set(
        actor=world.admin, role="support_worker", every_weeks=4, probation_every_weeks=2
    )
    due = selectors.summary_for(world.worker)
    assert due.last_held == held.held_on
    assert due.next_due == held.held_on + timedelta(weeks=4)


def test_it_refuses_a_frequency_outside_a_year(world):
    with pytest.raises(ValidationError) as refused:
        services.frequency_set(
            actor=world.admin, role="support_worker", every_weeks=0, probation_every_weeks=60
        )
    assert set(refused.value.message_dict) == {"every_weeks", "probation_every_weeks"}


def test_it_summarises_supervision_on_the_staff_page_for_those_allowed(world, held, client_for):
    url = reverse("administration:staff_detail", args=[world.worker.pk])
    assert "Last held" in client_for("senior").get(url).content.decode()
    admin_page = client_for("admin").get(url)
    assert admin_page.status_code == 200 and "Last held" not in admin_page.content.decode()


def test_it_says_what_is_wrong_with_a_write_up_on_the_page(world, held, client_for):
    response = client_for("senior").post(
        reverse("supervision:record_edit", args=[held.pk]),
        {"version": held.version, "held_on": "31/02/2026", "next_on": "nonsense"},
    )
    assert response.status_code == 200
    assert "Enter the date held as a real date" in response.content.decode()
