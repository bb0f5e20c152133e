"""Every read of personal data leaves exactly one audit row naming what was read, with
who, when and why; a refused or failed request leaves none."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.notes import services as notes
from keywork.notes.attachments import path_of
from keywork.notes.models import Appointment, Attachment
from keywork.outcomes.services import shipped_framework
from keywork.people import services as people
from keywork.people.models import Person
from keywork.planning.models import Goal, PlanVersion, SupportPlan
from keywork.testing.factories import supported_person

SUBJECT = "Talked about the tenancy"


@pytest.fixture
def record(world):
    """A person in the worker's service with a note and its attachment, an appointment
    and a plan with two kept versions: everything a colleague on the team may read."""
    episode = supported_person(world, "Marigold", "Fenwick")
    person = episode.person
    note = notes.note_create(
        actor=world.worker,
        person=person,
        episode=episode,
        contact_type="phone",
        contact_at=timezone.now(),
        subject=SUBJECT,
        text="Text",
    )
    attachment = Attachment.objects.create(
        note=note,
        original_name="letter.pdf",
        stored_name=f"reads-{note.pk}",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=world.worker,
    )
    path_of(attachment).parent.mkdir(parents=True, exist_ok=True)
    path_of(attachment).write_bytes(b"%PDF-1.7\n")
    appointment = Appointment.objects.create(
        organisation=person.organisation,
        person=person,
        episode=episode,
        starts_at=timezone.now(),
        created_by=world.worker,
    )
    framework = shipped_framework()
    plan = SupportPlan.objects.create(
        organisation=person.organisation,
        person=person,
        episode=episode,
        framework=framework,
        next_review_on=timezone.localdate(),
        created_by=world.worker,
    )
    Goal.objects.create(plan=plan, domain=framework.domains.first(), in_own_words="A home")
    for number in (1, 2):
        PlanVersion.objects.create(
            plan=plan,
            number=number,
            frozen_at=timezone.now(),
            frozen_by=world.worker,
            reason="Agreed",
            snapshot={"goals": []},
        )
    return {
        "person": person,
        "episode": episode,
        "note": note,
        "attachment": attachment,
        "appointment": appointment,
        "plan": plan,
        "referral": episode.referral,
    }


def reads_since(mark: int):
    return AuditEntry.objects.filter(pk__gt=mark, action=AuditEntry.Action.ACCESS)


def last_pk() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def naming(entries, obj) -> list[AuditEntry]:
    content_type = ContentType.objects.get_for_model(obj)
    return [
        e for e in entries if e.content_type_id == content_type.pk and e.object_pk == str(obj.pk)
    ]


# Each page of a person's record, and what its one audit row names.
PAGES = {
    "note list": (lambda r: reverse("notes:note_list", args=[r["person"].pk]), "person"),
    "note": (lambda r: reverse("notes:note", args=[r["note"].pk]), "note"),
    "attachment": (lambda r: reverse("notes:attachment", args=[r["attachment"].pk]), "attachment"),
    "timeline": (lambda r: reverse("timeline:timeline", args=[r["person"].pk]), "person"),
    "plan": (lambda r: reverse("planning:plan", args=[r["plan"].pk]), "plan"),
    "plan version": (lambda r: reverse("planning:plan_version", args=[r["plan"].pk, 1]), None),
    "plan compare": (lambda r: reverse("planning:plan_compare", args=[r["plan"].pk]), "plan"),
    "appointment": (
        lambda r: reverse("notes:appointment", args=[r["appointment"].pk]),
        "appointment",
    ),
    "referral": (lambda r: reverse("people:referral", args=[r["referral"].pk]), "referral"),
    "person's edit form": (
        lambda r: reverse("people:person_edit", args=[r["person"].pk]),
        "person",
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_it_logs_one_read_naming_each_record_a_colleague_opens(world, client_for, record, page):
    url_of, named = PAGES[page]
    client = client_for("colleague")
    mark = last_pk()
    response = client.get(url_of(record))
    assert response.status_code == 200
    entries = list(reads_since(mark))
    # A plan version's row names the version itself.
    target = record["plan"].versions.get(number=1) if named is None else record[named]
    rows = naming(entries, target)
    assert len(rows) == 1, f"{page}: {[(e.content_type.model, e.object_pk) for e in entries]}"
    (row,) = rows
    assert row.actor == world.colleague
    assert row.reason == AuditEntry.Reason.NORMAL
    assert row.about_person_id == record["person"].pk
    assert row.remote_addr == "127.0.0.1"


def test_it_logs_the_clients_address_behind_the_proxy_not_the_proxys(
    world, client_for, record, settings
):
    settings.KEYWORK_TRUSTED_PROXIES = 1
    mark = last_pk()
    response = client_for("colleague").get(
        reverse("people:person", args=[record["person"].pk]),
        REMOTE_ADDR="",  # nginx reaches gunicorn over a unix socket
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 200
    (row,) = naming(reads_since(mark), record["person"])
    assert row.remote_addr == "203.0.113.7"


def test_it_names_the_notes_a_list_showed(world, client_for, record):
    mark = last_pk()
    client_for("colleague").get(reverse("notes:note_list", args=[record["person"].pk]))
    (row,) = naming(reads_since(mark), record["person"])
    assert row.additional_data == {"shown": {"notes.filenote": [record["note"].pk]}}


def test_it_names_what_the_timeline_showed(world, client_for, record):
    mark = last_pk()
    client_for("colleague").get(reverse("timeline:timeline", args=[record["person"].pk]))
    (row,) = naming(reads_since(mark), record["person"])
    shown = row.additional_data["shown"]
    assert shown["notes.filenote"] == [record["note"].pk]
    assert record["appointment"].pk in shown["notes.appointment"]


def test_it_logs_the_people_a_search_showed(world, client_for, record):
    mark = last_pk()
    response = client_for("colleague").get(reverse("people:search"), {"q": "Marigold"})
    assert "Fenwick" in response.content.decode()
    (row,) = reads_since(mark)
    assert row.content_type == ContentType.objects.get_for_model(Person)
    assert row.object_pk == ""
    assert row.additional_data == {"shown": {"people.person": [record["person"].pk]}}
    assert row.actor == world.colleague


def test_it_logs_the_notes_a_search_showed(world, client_for, record):
    mark = last_pk()
    response = client_for("colleague").get(reverse("notes:search"), {"q": "tenancy"})
    assert SUBJECT in response.content.decode()
    (row,) = reads_since(mark)
    assert row.additional_data == {"shown": {"notes.filenote": [record["note"].pk]}}


def test_it_logs_nothing_for_a_search_that_found_nothing(world, client_for, record):
    mark = last_pk()
    client_for("colleague").get(reverse("people:search"), {"q": "Nobody Atall"})
    assert not reads_since(mark).exists()


def test_it_logs_one_row_however_often_a_page_reads_a_record(world, client_for, record):
    mark = last_pk()
    client_for("colleague").get(reverse("people:person", args=[record["person"].pk]))
    assert len(naming(reads_since(mark), record["person"])) == 1


def test_it_says_a_read_was_by_break_glass(world, client_for, record):
    people.break_glass(
        actor=world.other_team_worker,
        person=record["person"],
        reason="Out of hours call from the police about a welfare check",
    )
    client = client_for("other_team_worker")
    for url in (
        reverse("people:person", args=[record["person"].pk]),
        reverse("notes:note", args=[record["note"].pk]),
    ):
        mark = last_pk()
        assert client.get(url).status_code == 200
        (row,) = reads_since(mark)
        assert row.reason == AuditEntry.Reason.BREAK_GLASS
        assert row.actor == world.other_team_worker


def test_it_logs_nothing_for_a_record_refused(world, client_for, record):
    mark = last_pk()
    response = client_for("other_team_worker").get(reverse("notes:note", args=[record["note"].pk]))
    assert response.status_code == 404
    assert not reads_since(mark).exists()


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "DELETE"])
def test_it_answers_other_methods_405_and_logs_nothing(world, client_for, record, method):
    client = client_for("colleague")
    mark = last_pk()
    response = client.generic(method, reverse("people:person", args=[record["person"].pk]))
    assert response.status_code == 405
    assert "Marigold" not in response.content.decode()
    assert not AuditEntry.objects.filter(pk__gt=mark).exists()


def test_it_writes_a_read_at_once_outside_a_request(world, record):
    from keywork.audit.reads import record_read

    entry = record_read(actor=world.worker, obj=record["note"])
    assert entry.pk and entry.actor == world.worker
    assert entry.about_person_id == record["person"].pk


def test_it_logs_the_risk_assessment_and_the_incidents_the_risk_page_showed(
    world, client_for, record
):
    from keywork.risk.models import IncidentPerson, RiskAssessment
    from keywork.risk.services import incident_report, risk_assessment_save

    person = record["person"]
    assessment = risk_assessment_save(
        actor=world.worker,
        person=person,
        version=None,
        overall="medium",
        summary="",
        areas={"self": {"level": "medium", "triggers": "Letters from the court"}},
    )
    incident = incident_report(
        actor=world.worker,
        service=world.service,
        type="other",
        severity="low",
        occurred_at=timezone.now(),
        place="Lounge",
        what_happened="An argument",
        immediate_action="Talked it down",
        people=[person],
    )
    mark = last_pk()
    page = client_for("colleague").get(reverse("risk:risk", args=[person.pk]))
    assert "Letters from the court" in page.content.decode()
    entries = list(reads_since(mark))
    assert len(naming(entries, RiskAssessment.objects.get(pk=assessment.pk))) == 1
    (about_person,) = naming(entries, person)
    part = IncidentPerson.objects.get(incident=incident)
    assert about_person.additional_data["shown"]["risk.incidentperson"] == [part.pk]
    assert all(e.actor == world.colleague for e in entries)
