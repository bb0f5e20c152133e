from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from keywork import access
from keywork.core.contributions import panels_for
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.fields import record_id_in
from keywork.people import selectors as people_selectors
from keywork.planning import selectors as planning_selectors
from keywork.planning import services as planning_services
from keywork.planning.models import Action
from keywork.tasks import selectors, services

casework = access.capability_required(access.Capability.CASEWORK)


@casework
def my_tasks(request):
    show_done = request.GET.get("done") == "1"
    mine = selectors.my_tasks(user=request.user, include_done=show_done)
    return render(
        request,
        "tasks/my_tasks.html",
        {
            "tasks": mine.tasks,
            "actions": mine.actions,
            "can_tick": {
                a.pk
                for a in mine.actions
                if not a.person_unseen  # type: ignore[attr-defined]
                and access.check(request.user, "planning.edit", a.goal.plan.episode)
            },
            "today": timezone.localdate(),
            "show_done": show_done,
            "teams": access.teams_managed_by(request.user),
            # What the other areas ask the user to do: their sections of this page.
            "panels": panels_for("task_panels", request.user),
        },
    )


@casework
def task_done(request, task_id: int):
    task = selectors.task_or_404(fetched_by=request.user, task_id=task_id)
    if request.method != "POST":  # after the lookup, so a stranger learns nothing
        return HttpResponseNotAllowed(["POST"])
    try:
        services.task_done(actor=request.user, task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Marked the task done." if task.person_unseen else f"Done: {task.title}"
        )
    return redirect("tasks:my_tasks")


@casework
def action_done(request, action_id: int):
    """Ticks off a plan action from the task list, through the plan's own service: its
    access check, and its version check against the plan as the list showed it."""
    action = planning_selectors.action_or_404(fetched_by=request.user, action_id=action_id)
    if request.method != "POST":  # after the lookup, so a stranger learns nothing
        return HttpResponseNotAllowed(["POST"])
    version = record_id_in(request.POST.get("version"))
    try:
        if version is None:
            raise ValidationError("Open your tasks again: the page was out of date.")
        planning_services.action_set_status(
            actor=request.user, action=action, status=Action.Status.DONE, version=version
        )
    except NotFoundOrNotAllowed:
        # They may see the plan but not change it (it is another service's plan).
        messages.error(request, "Only the team working with them can change this plan.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Done: {action.what}")
    return redirect("tasks:my_tasks")


@casework
def team_tasks(request, team_id: int):
    team = people_selectors.team_or_404(fetched_by=request.user, team_id=team_id)
    tasks = selectors.team_overdue(fetched_by=request.user, team=team)
    return render(request, "tasks/team_tasks.html", {"team": team, "tasks": tasks})
