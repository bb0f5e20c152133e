"""The involvement actions a worker owns and has still to do are on their My tasks,
overdue in red and due today in yellow, each linking to its session and ticked off
there, back to My tasks; the page's queries stay the same however many there are."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.involvement import services
from keywork.involvement.models import InvolvementAction

DAY = timedelta(days=1)


def _meeting(world, title="House meeting"):
    return services.session_record(
        actor=world.senior,
        service=world.service,
        kind="residents_meeting",
        title=title,
        held_on=timezone.localdate() - 10 * DAY,
    )


def _action(world, session, what, due_in, owner=None):
    return services.involvement_action_add(
        actor=world.senior,
        session=session,
        what=what,
        owner=owner or world.worker,
        due_on=timezone.localdate() + due_in * DAY,
    )


def _panel(page: str) -> str:
    return page.split('id="involvement-actions"')[1].split("</ul>")[0]


def test_it_lists_the_users_open_actions_with_when_each_is_due(world, client_for):
    meeting = _meeting(world)
    _action(world, meeting, "Fix the washing machine", -3)
    _action(world, meeting, "Order a kettle", 0)
    _action(world, meeting, "Book the garden day", 5)
    _action(world, meeting, "Not mine", 1, owner=world.colleague)
    done = _action(world, meeting, "Already done", -1)
    services.involvement_action_done(actor=world.worker, action=done, done_on=timezone.localdate())
    page = client_for("worker").get(reverse("tasks:my_tasks")).content.decode()
    assert "Your involvement actions" in page
    panel = _panel(page)
    assert panel.index("Fix the washing machine") < panel.index("Order a kettle")
    assert 'govuk-tag--red">3 days overdue</strong>\n    Fix the washing machine' in panel
    assert 'govuk-tag--yellow">Due today</strong>\n    Order a kettle' in panel
    later = (timezone.localdate() + 5 * DAY).strftime("%-d %b")
    assert f'govuk-tag--green">Due {later}</strong>\n    Book the garden day' in panel
    assert "Not mine" not in panel and "Already done" not in panel
    assert reverse("involvement:session", args=[meeting.pk]) in panel
    # Nothing to do, no section.
    page = client_for("senior").get(reverse("tasks:my_tasks")).content.decode()
    assert "Your involvement actions" not in page


def test_it_ticks_an_action_off_from_my_tasks_and_goes_back_there(world, client_for):
    meeting = _meeting(world)
    action = _action(world, meeting, "Fix the washing machine", -3)
    client = client_for("worker")
    page = client.get(reverse("tasks:my_tasks")).content.decode()
    assert f'action="{reverse("involvement:action_done", args=[action.pk])}"' in page
    today = timezone.localdate().strftime("%d/%m/%Y")
    answer = client.post(
        reverse("involvement:action_done", args=[action.pk]),
        {"done_on": today, "next": reverse("tasks:my_tasks")},
        follow=True,
    )
    assert answer.redirect_chain == [(reverse("tasks:my_tasks"), 302)]
    page = answer.content.decode()
    assert "Marked the action done." in page
    assert "Your involvement actions" not in page
    assert InvolvementAction.objects.get().done_on == timezone.localdate()


def test_it_follows_only_a_path_of_this_site_after_ticking_off(world, client_for):
    meeting = _meeting(world)
    session_page = reverse("involvement:session", args=[meeting.pk])
    client = client_for("worker")
    today = timezone.localdate().strftime("%d/%m/%Y")
    for unsafe in ("https://elsewhere.example/", "//elsewhere.example/", "0", "javascript:x"):
        action = _action(world, meeting, f"Go to {unsafe}", 1)
        answer = client.post(
            reverse("involvement:action_done", args=[action.pk]),
            {"done_on": today, "next": unsafe},
        )
        assert answer.status_code == 302 and answer["Location"] == session_page, unsafe


def test_it_says_why_an_action_done_already_cannot_be_ticked_off_again(world, client_for):
    meeting = _meeting(world)
    action = _action(world, meeting, "Fix the washing machine", -3)
    today = timezone.localdate()
    services.involvement_action_done(actor=world.colleague, action=action, done_on=today)
    page = (
        client_for("worker")
        .post(
            reverse("involvement:action_done", args=[action.pk]),
            {"done_on": today.strftime("%d/%m/%Y"), "next": reverse("tasks:my_tasks")},
        )
        .content.decode()
    )
    assert f"This was marked done on {today:%d/%m/%Y}." in page
    # The form keeps where to go back to, so saving it again still returns to My tasks.
    assert f'name="next" value="{reverse("tasks:my_tasks")}"' in page


def test_it_leaves_out_the_actions_of_a_service_the_owner_no_longer_works_in(world, client_for):
    meeting = _meeting(world)
    _action(world, meeting, "Fix the washing machine", 1)
    membership = world.worker.memberships.get()
    membership.team = world.other_team
    membership.save()
    page = client_for("worker").get(reverse("tasks:my_tasks")).content.decode()
    assert "Fix the washing machine" not in page


def test_it_makes_as_many_queries_on_my_tasks_for_twenty_actions_as_for_two(world, client_for):
    url = reverse("tasks:my_tasks")
    client = client_for("worker")

    def add(n):
        for i in range(n):
            _action(world, _meeting(world, f"Meeting {i}"), f"Do {i}", i - 3)

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        return len(queries), page.content.decode()

    client.get(url)
    without, _ = count()
    add(2)
    client.get(url)
    two, page = count()
    assert page.count('Mark done<span class="govuk-visually-hidden">: Do ') == 2
    add(23)
    many, page = count()
    assert page.count('Mark done<span class="govuk-visually-hidden">: Do ') == 20
    assert "All your open involvement actions" in page
    assert many == two, f"{two} queries for two actions, {many} for 25"
    # The section's one query is asked with or without actions to show.
    assert two == without, f"{without} without actions, {two} with"
