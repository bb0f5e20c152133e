from django.urls import path

from keywork.tasks import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<id:task_id>/done/", views.task_done, name="task_done"),
    path("tasks/plan-actions/<id:action_id>/done/", views.action_done, name="action_done"),
    path("teams/<id:team_id>/overdue-tasks/", views.team_tasks, name="team_tasks"),
]
