from django.urls import path

from keywork.planning import views

app_name = "planning"
urlpatterns = [
    path("episodes/<id:episode_id>/plan/", views.episode_plan, name="episode_plan"),
    path("episodes/<id:episode_id>/assessments/", views.assessments, name="assessments"),
    path(
        "episodes/<id:episode_id>/assessments/new/",
        views.assessment_new,
        name="assessment_new",
    ),
    path("assessments/<id:assessment_id>/", views.assessment, name="assessment"),
    path("plans/<id:plan_id>/", views.plan, name="plan"),
    path("plans/<id:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<id:plan_id>/support-plan.pdf", views.plan_print, name="plan_print"),
    path("plans/<id:plan_id>/goals/new/", views.goal_new, name="goal_new"),
    path("plans/<id:plan_id>/agree/", views.plan_agree, name="plan_agree"),
    path("plans/<id:plan_id>/review/", views.plan_review, name="plan_review"),
    path("plans/<id:plan_id>/outcomes/", views.outcomes, name="outcomes"),
    path("plans/<id:plan_id>/compare/", views.plan_compare, name="plan_compare"),
    path("plans/<id:plan_id>/versions/<id:number>/", views.plan_version, name="plan_version"),
    path("services/<id:service_id>/outcomes/", views.service_outcomes, name="service_outcomes"),
    path("goals/<id:goal_id>/actions/new/", views.action_new, name="action_new"),
    path("goals/<id:goal_id>/notes/", views.goal_notes, name="goal_notes"),
    path("actions/<id:action_id>/status/", views.action_status, name="action_status"),
]
