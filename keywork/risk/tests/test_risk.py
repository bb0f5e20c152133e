"""Risk assessments, alerts that change how staff may meet someone, incidents and their
sign-off, and safeguarding referrals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import Membership, Role
from keywork.core.models import Notification
from keywork.notes.models import Appointment
from keywork.people import services as people
from keywork.people.models import Alert
from keywork.risk import services
from keywork.risk.models import Incident, IncidentPerson, RiskAssessment, RiskVersion
from keywork.testing.factories import staff


def supported(worker, service, first_name: str):
    person = people.person_create(actor=worker, first_name=first_name, last_name="Test")
    referral = people.referral_create(
        actor=worker,
        person=person,
        service=service,
        received_on=timezone.localdate() - timedelta(days=40),
        source="self",
        reason="r",
    )
    people.referral_accept(
        actor=worker,
        referral=referral,
        start_date=timezone.localdate() - timedelta(days=30),
        key_worker=worker,
    )
    return person


def risk_form(**overrides):
    data = {
        "overall": "medium",
        "summary": "",
        "version": "",
        "level_self": "medium",
        "triggers_self": "Anniversaries; letters from the court",
        "management_plan_self": "Weekly check-in; crisis line number on the fridge",
        "level_staff": "low",
        "management_plan_staff": "",
    }
    return {**data, **overrides}


# --- The risk assessment -------------------------------------------------------------


def test_it_shows_a_risk_assessment_on_the_banner_and_with_every_appointment(
    client_for, world, episode
):
    client = client_for("worker")
    person = episode.person
    response = client.post(reverse("risk:risk_edit", args=[person.pk]), risk_form())
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert assessment.overall == "medium" and assessment.version == 1
    assert assessment.review_on == timezone.localdate() + timedelta(
        weeks=world.service.risk_review_weeks
    )
    assert RiskVersion.objects.get().snapshot["areas"][0]["domain"] == "self"
    page = client.get(reverse("people:person", args=[person.pk])).content.decode()
    assert "Medium risk overall" in page and "risk to staff and lone working: low" in page
    risk_page = client.get(reverse("risk:risk", args=[person.pk])).content.decode()
    assert "Weekly check-in; crisis line number on the fridge" in risk_page
    Appointment.objects.create(
        organisation=world.organisation,
        person=person,
        episode=episode,
        starts_at=timezone.now() + timedelta(days=1),
        created_by=world.worker,
    ).staff.set([world.worker])
    listing = client.get(reverse("notes:my_appointments")).content.decode()
    assert "Medium; to staff: low" in listing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"overall": "high", "summary": ""}, "A high overall risk needs a plan"),
        ({"level_self": "high", "management_plan_self": ""}, "Risk to self is high: say how"),
        ({"level_self": "", "triggers_self": "Letters"}, "Choose the level of risk to self."),
        (
            {"level_self": "", "triggers_self": "", "management_plan_self": "", "level_staff": ""},
            "Assess at least one area of risk.",
        ),
    ],
)
def test_it_saves_nothing_of_a_bad_risk_assessment_and_says_why(
    client_for, episode, overrides, message
):
    response = client_for("worker").post(
        reverse("risk:risk_edit", args=[episode.person_id]), risk_form(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RiskAssessment.objects.exists() and not RiskVersion.objects.exists()


def test_it_does_not_save_a_stale_risk_assessment_over_a_newer_one(client_for, episode):
    url = reverse("risk:risk_edit", args=[episode.person_id])
    client_for("worker").post(url, risk_form())
    # Both open version 1; the colleague saves first.
    client_for("colleague").post(url, risk_form(version="1", summary="Colleague's words"))
    response = client_for("worker").post(url, risk_form(version="1", summary="Worker's words"))
    html = response.content.decode()
    assert "Someone else changed this risk assessment after you opened it" in html
    assert "Worker&#x27;s words" in html  # their own text, still in the form
    assert "Colleague&#x27;s words" in html  # the assessment as it now is
    assert 'name="version" value="2"' in html
    assessment = RiskAssessment.objects.get()
    assert assessment.summary == "Colleague's words" and assessment.version == 2
    client_for("worker").post(url, risk_form(version="2", summary="Both"))
    assert RiskAssessment.objects.get().version == 3 and RiskVersion.objects.count() == 3


def test_it_shows_on_the_caseload_when_a_risk_review_is_due(client_for, episode):
    client = client_for("worker")
    page = client.get(reverse("people:my_caseload")).content.decode()
    assert "Risk review due" in page and "Not assessed" in page
    client.post(reverse("risk:risk_edit", args=[episode.person_id]), risk_form())
    page = client.get(reverse("people:my_caseload")).content.decode()
    due = RiskAssessment.objects.get().review_on
    # The level is a badge and the review a tag, so they look like two things; a risk's
    # level is never shown green.
    assert '<strong class="moj-badge kw-badge--orange">Medium risk</strong>' in page
    assert f'<strong class="govuk-tag govuk-tag--green">Review by {due:%d/%m/%Y}</strong>' in page


def test_it_never_shows_a_high_risk_in_green(client_for, episode):
    client = client_for("worker")
    client.post(
        reverse("risk:risk_edit", args=[episode.person_id]),
        risk_form(overall="high", summary="Managed through weekly joint visits"),
    )
    page = client.get(reverse("people:my_caseload")).content.decode()
    assert '<strong class="moj-badge moj-badge--red">High risk</strong>' in page
    assert 'green">High risk' not in page


# --- Alerts that change how staff may meet someone --------------------------------------


def appointment_form(episode, staff_ids, **extra):
    day = timezone.localdate() + timedelta(days=2)
    return {
        "episode": episode.pk,
        "kind": "home_visit",
        "day": day.strftime("%d/%m/%Y"),
        "time": "10:00",
        "duration_minutes": "60",
        "place": "Their flat",
        "staff": staff_ids,
        **extra,
    }


def test_it_warns_before_saving_an_appointment_that_breaks_a_do_not_visit_alone_alert(
    client_for, world, episode
):
    people.alert_add(
        actor=world.worker,
        person=episode.person,
        kind=Alert.Kind.NOT_ALONE,
        text="Dog; threats to staff in 2025",
        level="danger",
    )
    client = client_for("worker")
    url = reverse("notes:appointment_new", args=[episode.person_id])
    response = client.post(url, appointment_form(episode, [world.worker.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Do not visit alone: only one member of staff is going." in html
    assert 'type="checkbox" value="on"' in html and "I have read the alerts" in html
    assert not Appointment.objects.exists()
    response = client.post(url, appointment_form(episode, [world.worker.pk], alerts_read="on"))
    assert response.status_code == 302 and Appointment.objects.count() == 1
    # Two staff going: no alert to read (at the same time as the first, which is meant).
    response = client.post(
        url, appointment_form(episode, [world.worker.pk, world.colleague.pk], clash_ok="on")
    )
    assert response.status_code == 302 and Appointment.objects.count() == 2


def test_it_warns_of_a_home_visit_when_they_are_to_be_met_in_the_office_only(
    client_for, world, episode
):
    people.alert_add(
        actor=world.worker,
        person=episode.person,
        kind=Alert.Kind.OFFICE_ONLY,
        text="Meet at the office",
        level="warning",
    )
    client = client_for("worker")
    url = reverse("notes:appointment_new", args=[episode.person_id])
    both = [world.worker.pk, world.colleague.pk]
    html = client.post(url, appointment_form(episode, both)).content.decode()
    assert "Meet in the office only: this is a home visit." in html
    response = client.post(url, appointment_form(episode, both, kind="key_work", place="Office"))
    assert response.status_code == 302


# --- Incidents -----------------------------------------------------------------------


def incident_form(world, person_ids, **overrides):
    now = timezone.localtime() - timedelta(hours=1)
    return {
        "service": world.service.pk,
        "type": "violence",
        "severity": "high",
        "day": now.strftime("%d/%m/%Y"),
        "time": now.strftime("%H:%M"),
        "place": "Communal kitchen",
        "people": person_ids,
        "what_happened": "Raised voices, then a chair thrown at the wall.",
        "immediate_action": "Calmed the room; nobody hurt; police not called.",
        **overrides,
    }


def test_it_tells_the_lead_manager_of_a_serious_incident_and_lets_them_not_the_worker_sign_it_off(
    client_for, world, episode
):
    worker = client_for("worker")
    response = worker.post(reverse("risk:incident_new"), incident_form(world, [episode.person_id]))
    incident = Incident.objects.get()
    assert response.status_code == 302
    note = Notification.objects.get(user=world.lead_manager)
    assert "Serious incident in Harbour House" in note.text
    assert note.url == reverse("risk:incident", args=[incident.pk])

    page = worker.get(reverse("risk:incident", args=[incident.pk])).content.decode()
    assert "Review and sign off" not in page
    refused = worker.post(
        reverse("risk:incident_sign_off", args=[incident.pk]), {"manager_review": "Fine"}
    )
    assert "Only a manager of Harbour House can sign off this incident." in refused.content.decode()
    assert Incident.objects.get().signed_off_at is None

    manager = client_for("lead_manager")
    assert "Review and sign off" in manager.get(note.url).content.decode()
    response = manager.post(
        reverse("risk:incident_sign_off", args=[incident.pk]),
        {
            "manager_review": "Handled well. Review the house rules at the next meeting.",
            "follow_up": "Talk through the house rules with him",
            "follow_up_owner": world.worker.pk,
            "follow_up_by": (timezone.localdate() + timedelta(days=7)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.signed_off_by == world.lead_manager
    # The worker is told there is a follow-up; its words stay on the incident's page.
    (told,) = Notification.objects.filter(user=world.worker)
    assert "has a follow-up for you" in told.text and "house rules" not in told.text
    assert told.url == reverse("risk:incident", args=[incident.pk])
    assert told.read_at is None
    # Signed off: the managers are no longer asked to review it.
    note.refresh_from_db()
    assert note.read_at is not None
    home = client_for("lead_manager").get(reverse("home:home")).content.decode()
    assert "Review and sign it off" not in home


def test_it_saves_nothing_of_an_incident_dated_in_the_future(client_for, world, episode):
    later = timezone.localtime() + timedelta(days=1)
    response = client_for("worker").post(
        reverse("risk:incident_new"),
        incident_form(world, [episode.person_id], day=later.strftime("%d/%m/%Y")),
    )
    assert "An incident cannot be dated in the future." in response.content.decode()
    assert not Incident.objects.exists() and not Notification.objects.exists()


def test_it_shows_each_person_in_an_incident_only_their_own_part(client_for, world):
    ann = supported(world.worker, world.service, "Ann")
    bob = supported(world.other_team_worker, world.other_service, "Bob")
    # A lead manager of both teams records it, with both people in it.
    both = staff(role=Role.LEAD_MANAGER, team=world.team, full_name="Both Teams")
    Membership.objects.create(user=both, role=Role.LEAD_MANAGER, team=world.other_team)
    incident = services.incident_report(
        actor=both,
        service=world.service,
        type="violence",
        severity="medium",
        occurred_at=timezone.now() - timedelta(hours=2),
        place="Front door",
        what_happened="Ann and Bob argued at the door.",
        immediate_action="Separated them.",
        people=[ann, bob],
    )
    ann_part = IncidentPerson.objects.get(person=ann)
    bob_part = IncidentPerson.objects.get(person=bob)
    services.incident_part_set(actor=both, part=ann_part, their_part="Ann was shouted at.")
    services.incident_part_set(actor=both, part=bob_part, their_part="Bob shouted.")

    other_team = client_for("other_team_worker")
    bob_risk = other_team.get(reverse("risk:risk", args=[bob.pk])).content.decode()
    assert "Violence or aggression" in bob_risk and "Ann" not in bob_risk
    bob_page = other_team.get(reverse("risk:incident_part", args=[bob_part.pk])).content.decode()
    assert "Bob shouted." in bob_page
    assert "Ann" not in bob_page and "argued" not in bob_page
    timeline = other_team.get(reverse("timeline:timeline", args=[bob.pk])).content.decode()
    assert "Incident: Violence or aggression" in timeline and "Ann" not in timeline
    for url in (
        reverse("risk:incident", args=[incident.pk]),
        reverse("risk:incident_part", args=[ann_part.pk]),
        reverse("risk:incident_part_edit", args=[ann_part.pk]),
        reverse("risk:incident_sign_off", args=[incident.pk]),
    ):
        assert other_team.get(url).status_code == 404, url

    worker = client_for("worker")
    assert (
        "Ann was shouted at."
        in worker.get(reverse("risk:incident_part", args=[ann_part.pk])).content.decode()
    )
    assert worker.get(reverse("risk:incident_part", args=[bob_part.pk])).status_code == 404
    assert worker.get(reverse("risk:incident", args=[incident.pk])).status_code == 404

    # The House team's lead manager sees the whole incident, but names only Ann.
    whole = client_for("lead_manager").get(reverse("risk:incident", args=[incident.pk]))
    html = whole.content.decode()
    assert "Ann Test" in html and "Bob Test" not in html
    assert "And 1 person whose records you do not work on." in html


def test_it_counts_incidents_by_service_type_severity_and_month(
    client_for, world, episode, django_assert_max_num_queries
):
    for severity in ("low", "low", "medium"):
        services.incident_report(
            actor=world.worker,
            service=world.service,
            type="neighbour",
            severity=severity,
            occurred_at=timezone.now() - timedelta(hours=3),
            place="Stairs",
            what_happened="Noise complaint",
            immediate_action="Spoke to them",
            people=[episode.person],
        )
    client = client_for("lead_manager")
    with django_assert_max_num_queries(25):
        page = client.get(reverse("risk:incidents"))
    html = page.content.decode()
    month = timezone.localtime().strftime("%B %Y")
    row = [r for r in html.split("<tr") if month in r and "Low" in r][0]
    assert "Neighbour complaint" in row and ">2<" in row
    assert client_for("worker").get(reverse("risk:incidents")).status_code == 200


# --- Safeguarding --------------------------------------------------------------------


def test_it_records_links_and_closes_a_safeguarding_referral_with_an_outcome(
    client_for, world, episode
):
    incident = services.incident_report(
        actor=world.worker,
        service=world.service,
        type="safeguarding",
        severity="medium",
        occurred_at=timezone.now() - timedelta(hours=3),
        place="Her flat",
        what_happened="Visitor taking her money",
        immediate_action="Talked it through",
        people=[episode.person],
    )
    client = client_for("worker")
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(
        reverse("risk:safeguarding_new", args=[episode.person_id]),
        {
            "service": world.service.pk,
            "about": "adult",
            "concern": "Financial exploitation by a visitor",
            "referred_to": "Adult safeguarding team",
            "referred_on": today,
            "reference": "ASG-1234",
            "incident": incident.pk,
        },
    )
    assert response.status_code == 302
    referral = episode.person.safeguarding_referrals.get()
    assert referral.incident == incident and referral.outcome == ""
    listing = client_for("lead_manager").get(reverse("risk:incidents")).content.decode()
    assert "Adult safeguarding team" in listing
    bad = client.post(
        reverse("risk:safeguarding", args=[referral.pk]),
        {"outcome": "enquiry", "outcome_on": "01/01/2020"},
    )
    assert "The outcome cannot be before the referral." in bad.content.decode()
    client.post(
        reverse("risk:safeguarding", args=[referral.pk]),
        {"outcome": "enquiry", "outcome_on": today},
    )
    referral.refresh_from_db()
    assert referral.outcome == "enquiry"
    listing = client_for("lead_manager").get(reverse("risk:incidents")).content.decode()
    assert "Adult safeguarding team" not in listing


def test_it_gives_the_demo_risk_to_show(db):
    from keywork.demo.seed import seed_demo
    from keywork.people.models import Episode

    seed_demo()
    assert RiskAssessment.objects.count() == Episode.objects.filter(end_date=None).count()
    assert RiskAssessment.objects.filter(overall="high").exclude(summary="").exists()
    assert Incident.objects.filter(severity="high", signed_off_at=None).exists()
    assert Notification.objects.filter(text__startswith="Serious incident").exists()


def test_it_asks_once_when_the_overall_level_is_below_an_areas(client_for, episode):
    client = client_for("worker")
    url = reverse("risk:risk_edit", args=[episode.person_id])
    low_overall = risk_form(overall="low", level_self="medium", level_staff="")
    page = client.post(url, low_overall).content.decode()
    assert "The overall level (low) is below the level of" in page
    assert "The overall level is right, though an area is higher" in page
    assert not RiskAssessment.objects.exists()
    client.post(url, {**low_overall, "overall_is_right": "on"})
    assert RiskAssessment.objects.get().overall == "low"


def test_it_offers_not_assessed_and_opens_only_the_areas_assessed(client_for, episode):
    client = client_for("worker")
    url = reverse("risk:risk_edit", args=[episode.person_id])
    client.post(url, risk_form())
    page = client.get(url).content.decode()
    assert page.count('value="" checked') == 7  # the nine areas, two of them assessed
    assert page.count('<details class="govuk-details kw-card" open>') == 2
    assert "Not assessed" in page
