"""The audit page shows a change's values only to someone who may see the person the
record is about, never shows what staff wrote in their own words, and lists for a lead
manager only the rows about people (and set-up) within their reach."""

import html
from datetime import date

import pytest
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.administration import audit_display as display
from keywork.audit.models import AuditEntry, person_id_of
from keywork.core.auditing import set_actor
from keywork.notes import services as notes
from keywork.notes.attachments import attachment_add
from keywork.notes.models import FileNoteVersion
from keywork.people import services as people
from keywork.people.models import Alert
from keywork.risk.services import risk_assessment_save
from keywork.testing.factories import supported_person

AUDIT = reverse("administration:audit")
WRITTEN_IN_THEIR_OWN_WORDS = [
    "Dog at the address",  # an alert's text
    "Assaulted a neighbour",  # a risk area's history
    "Alcohol and anniversaries",  # its triggers
    "Managed by visits in pairs",  # the assessment's summary
    "Disclosure of abuse",  # a restricted note's subject
    "Ring the refuge",  # the follow-up task's title
    "eviction letter",  # the note's attachment's file name
    "12 Quay Street",  # an address
]


@pytest.fixture
def casework(world):
    """Ruth, supported in the lead manager's service, and Olga, in the other team's."""
    ruth_episode = supported_person(world, "Ruth", "Ellis", date_of_birth=date(1980, 2, 1))
    ruth = ruth_episode.person
    ruth.address = "12 Quay Street"
    with set_actor(world.worker):
        ruth.save()
    people.alert_add(actor=world.worker, person=ruth, text="Dog at the address", level="warning")
    risk_assessment_save(
        actor=world.worker,
        person=ruth,
        version=None,
        overall="high",
        summary="Managed by visits in pairs",
        areas={
            "others": {
                "level": "high",
                "history": "Assaulted a neighbour",
                "triggers": "Alcohol and anniversaries",
                "warning_signs": "",
                "management_plan": "Two staff on every visit",
            }
        },
    )
    note = notes.note_create(
        actor=world.worker,
        person=ruth,
        episode=ruth_episode,
        contact_type="phone",
        contact_at=timezone.now(),
        subject="Disclosure of abuse",
        text="What she told me.",
        restricted=True,
        named_staff=[world.colleague],
        follow_up="Ring the refuge",
        follow_up_by=timezone.localdate(),
    )
    attachment_add(
        actor=world.worker,
        note=note,
        upload=SimpleUploadedFile("eviction letter.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    olga = supported_person(
        world,
        "Olga",
        "Farside",
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
        service=world.other_service,
    ).person
    people.alert_add(
        actor=world.other_team_worker, person=olga, text="Olga's alert", level="warning"
    )
    return ruth, olga, note


def page(client, **params) -> tuple[str, list[AuditEntry]]:
    text, rows, _ = _answer(client, **params)
    return text, rows


def _answer(client, **params):
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    shown = response.context["page"]
    return html.unescape(response.content.decode()), list(shown.object_list), shown.has_next()


def every_row(client) -> tuple[str, list[AuditEntry]]:
    """Every page of the audit, as one text and one list."""
    text, rows, number, more = "", [], 1, True
    while more:
        page_text, page_rows, more = _answer(client, page=number)
        text, rows, number = text + page_text, rows + page_rows, number + 1
    return text, rows


def test_it_shows_an_administrator_who_did_what_but_no_value_or_name_of_a_person(
    client_for, world, casework
):
    ruth, olga, _ = casework
    text, rows = every_row(client_for("admin"))
    # The administrator sees every row of the organisation, whoever it is about...
    assert {ruth.pk, olga.pk} <= {row.about_person_id for row in rows}
    assert f"Person record {ruth.pk}" in text
    assert "Not shown: you cannot see this person's record" in text
    assert "Wendy Worker" in text
    # ...but nothing a row says about the people themselves.
    for secret in ["Ruth", "Ellis", "1980", "Olga", "Farside", *WRITTEN_IN_THEIR_OWN_WORDS]:
        assert secret not in text, secret


def test_it_shows_a_lead_manager_only_their_services_people_and_never_free_text(
    client_for, world, casework
):
    ruth, olga, note = casework
    text, rows = every_row(client_for("lead_manager"))
    about = {row.about_person_id for row in rows} - {None}
    assert about == {ruth.pk}
    # Values of Ruth's record, whom the lead manager may see...
    assert "Ruth" in text and "Ellis" in text
    assert "01/02/1980" in text or "1980-02-01" in text
    # ...but never what was written in someone's own words: only that it changed.
    assert "changed" in text
    for secret in ["Olga", "Farside", *WRITTEN_IN_THEIR_OWN_WORDS]:
        assert secret not in text, secret
    # A search for a record outside their services finds nothing.
    person_type = ContentType.objects.get_for_model(type(olga))
    text, rows = page(
        client_for("lead_manager"), record_type=person_type.pk, record_id=str(olga.pk)
    )
    assert rows == [] and "Nothing matches" in text


def test_it_still_shows_a_lead_manager_changes_to_staff_and_set_up(client_for, world, casework):
    text, rows = every_row(client_for("lead_manager"))
    labels = {row.content_type.model for row in rows if row.about_person_id is None}
    assert {"user", "membership", "service", "team"} & labels
    # An incident is about several people at once: not among a lead manager's rows.
    assert "incident" not in labels


def test_it_names_the_actor_of_every_row_about_a_person(world, casework):
    ruth, olga, note = casework
    rows = AuditEntry.objects.filter(about_person_id__in=[ruth.pk, olga.pk])
    assert rows.filter(content_type__model="filenoteversion").exists()
    assert not rows.filter(actor=None).exists(), [
        (row.content_type.model, row.object_pk) for row in rows.filter(actor=None)
    ]


def test_it_names_who_wrote_each_version_of_a_note_in_the_audit(world, episode):
    note = notes.note_create(
        actor=world.worker,
        person=episode.person,
        episode=episode,
        contact_type="phone",
        contact_at=timezone.now(),
        subject="First call",
        text="Talked about rent.",
    )
    notes.note_amend(
        actor=world.worker,
        note=note,
        subject="First call",
        text="Talked about rent arrears.",
        reason="Clearer",
        version=note.version,
    )
    versions = AuditEntry.objects.filter(content_type__model="filenoteversion")
    assert versions.count() == 2
    assert {row.actor for row in versions} == {world.worker}
    assert {row.about_person_id for row in versions} == {episode.person_id}


def test_it_names_the_actor_of_a_note_written_through_the_page(client_for, world, episode):
    now = timezone.localtime()
    response = client_for("worker").post(
        reverse("notes:note_new", args=[episode.person_id]),
        {
            "episode": episode.pk,
            "contact_type": "key_work",
            "contact_date": now.strftime("%d/%m/%Y"),
            "contact_time": now.strftime("%H:%M"),
            "duration_minutes": "45",
            "subject": "Weekly key-work session",
            "text": "Talked about the rent arrears.",
        },
    )
    assert response.status_code == 302
    versions = AuditEntry.objects.filter(content_type__model="filenoteversion")
    assert versions.count() == 1
    assert {row.actor for row in versions} == {world.worker}


def test_it_keeps_the_page_to_the_same_queries_however_many_rows(client_for, world):
    ruth = supported_person(world, "Ruth", "Ellis").person
    olga = supported_person(
        world,
        "Olga",
        "Farside",
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
        service=world.other_service,
    ).person
    alert_type = ContentType.objects.get_for_model(Alert)

    def add_alerts(count: int) -> None:
        for i in range(count):
            person, actor = (ruth, world.worker) if i % 2 else (olga, world.other_team_worker)
            people.alert_add(actor=actor, person=person, text=f"Alert {i}", level="warning")

    def queries(who: str) -> tuple[int, int]:
        client = client_for(who)
        client.get(AUDIT)  # sessions and the like, out of the count
        with CaptureQueriesContext(connection) as context:
            response = client.get(AUDIT, {"record_type": alert_type.pk})
        return len(context.captured_queries), len(response.context["page"].object_list)

    add_alerts(10)
    few = {who: queries(who) for who in ("admin", "lead_manager")}
    add_alerts(100)
    many = {who: queries(who) for who in ("admin", "lead_manager")}
    assert few["admin"][1] == 10 and many["admin"][1] == 50
    assert few["lead_manager"][1] == 5 and many["lead_manager"][1] == 50
    assert few["admin"][0] == many["admin"][0]
    assert few["lead_manager"][0] == many["lead_manager"][0]


def test_it_knows_every_audited_kind_of_record(db):
    """Every model the audit logs either belongs to a person (its own person, or an
    `audit_person_id`) or is declared as belonging to no one person."""
    unknown = []
    for model in auditlog.get_models():
        label = model._meta.label_lower
        names = {f.name for f in model._meta.concrete_fields}
        belongs = label == "people.person" or "person" in names or hasattr(model, "audit_person_id")
        if belongs == (label in display.about_no_one_person()):
            unknown.append(label)
    assert unknown == []


def test_it_finds_the_person_of_records_whose_person_is_their_parents(
    django_assert_num_queries, db
):
    from keywork.activities.models import Activity, OutcomeEvent
    from keywork.housing.models import HousingApplication, MoveOnPlan
    from keywork.notes.models import Attachment, FileNote
    from keywork.outcomes.models import Rating
    from keywork.people.models import Episode, EpisodeWorker
    from keywork.planning.models import (
        Action,
        Assessment,
        AssessmentArea,
        Goal,
        GoalProgress,
        PlanVersion,
        Review,
        SupportPlan,
    )
    from keywork.risk.models import RiskArea, RiskAssessment, RiskVersion

    pk = 7

    def plan():
        return SupportPlan(person_id=pk)

    records = [
        OutcomeEvent(activity=Activity(person_id=pk)),
        HousingApplication(plan=MoveOnPlan(person_id=pk)),
        Attachment(note=FileNote(person_id=pk)),
        FileNoteVersion(note=FileNote(person_id=pk)),
        Rating(episode=Episode(person_id=pk)),
        EpisodeWorker(episode=Episode(person_id=pk)),
        Goal(plan=plan()),
        Action(goal=Goal(plan=plan())),
        GoalProgress(goal=Goal(plan=plan()), review=Review(plan=plan())),
        PlanVersion(plan=plan()),
        Review(plan=plan()),
        AssessmentArea(assessment=Assessment(person_id=pk)),
        RiskArea(assessment=RiskAssessment(person_id=pk)),
        RiskVersion(assessment=RiskAssessment(person_id=pk)),
    ]
    # From the parents already in hand: no query.
    with django_assert_num_queries(0):
        assert [person_id_of(record) for record in records] == [pk] * len(records)


def test_it_asks_once_for_the_person_of_a_record_whose_parents_are_not_loaded(
    django_assert_num_queries, world, episode
):
    from keywork.planning import services as planning
    from keywork.planning.models import Action

    plan = planning.plan_start(actor=world.worker, episode=episode)
    domain = plan.framework.domains.first()
    goal = planning.goal_add(actor=world.worker, plan=plan, domain=domain, in_own_words="A home")
    action = planning.action_add(
        actor=world.worker,
        goal=goal,
        what="Bidding",
        owner=Action.Owner.PERSON,
        due_on=timezone.localdate(),
    )
    assert AuditEntry.objects.get_for_object(action).get().about_person_id == episode.person_id
    fresh = Action.objects.get(pk=action.pk)
    with django_assert_num_queries(1):
        assert person_id_of(fresh) == episode.person_id


@pytest.mark.parametrize(
    "label, field, free",
    [
        ("risk.riskarea", "history", True),
        ("risk.riskarea", "triggers", True),
        ("risk.riskassessment", "summary", True),
        ("risk.incident", "what_happened", True),
        ("people.alert", "text", True),
        ("notes.filenoteversion", "subject", True),
        ("notes.filenote", "subject", True),
        ("notes.attachment", "original_name", True),
        ("tasks.task", "title", True),
        ("people.person", "address", True),
        ("people.person", "first_name", False),
        ("people.person", "date_of_birth", False),
        ("organisations.service", "name", False),
        ("people.alert", "level", False),
    ],
)
def test_it_declares_which_fields_are_free_text(label, field, free):
    from django.apps import apps

    assert display.is_free_text(apps.get_model(label), field) is free
