from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from keywork import access
from keywork.people import selectors as people_selectors
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
            "today": timezone.localdate(),
            "show_done": show_done,
            "teams": access.teams_managed_by(request.user),
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
def team_tasks(request, team_id: int):
    team = people_selectors.team_or_404(fetched_by=request.user, team_id=team_id)
    tasks = selectors.team_overdue(fetched_by=request.user, team=team)
    return render(request, "tasks/team_tasks.html", {"team": team, "tasks": tasks})
