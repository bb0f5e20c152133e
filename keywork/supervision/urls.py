from django.urls import path

from keywork.supervision import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.home, name="home"),
    path("supervision/how-often/", views.frequencies, name="frequencies"),
    path("supervision/staff/<id:user_id>/", views.member, name="member"),
    path("supervision/staff/<id:user_id>/supervisor/", views.arrangement, name="arrangement"),
    path("supervision/staff/<id:user_id>/plan/", views.schedule, name="schedule"),
    path("supervision/<id:supervision_id>/", views.record, name="record"),
    path("supervision/<id:supervision_id>/write-up/", views.record_edit, name="record_edit"),
    path(
        "supervision/<id:supervision_id>/discussions/new/",
        views.discussion_new,
        name="discussion_new",
    ),
    path("supervision/<id:supervision_id>/actions/new/", views.action_new, name="action_new"),
    path(
        "supervision/<id:supervision_id>/actions/<id:action_id>/progress/",
        views.progress,
        name="progress",
    ),
    path(
        "supervision/<id:supervision_id>/goals/<id:goal_id>/review/",
        views.goal_review,
        name="goal_review",
    ),
    path("supervision/<id:supervision_id>/agree/", views.agree, name="agree"),
    path("supervision/<id:supervision_id>/correct/", views.amend, name="amend"),
    path("competencies/", views.frameworks, name="frameworks"),
    path("competencies/new/", views.framework_new, name="framework_new"),
    path("competencies/<id:framework_id>/", views.framework, name="framework"),
    path("development/<id:user_id>/", views.development, name="development"),
    path(
        "development/<id:user_id>/assessments/new/",
        views.assessment_new,
        name="assessment_new",
    ),
    path("development/<id:user_id>/goals/new/", views.goal_new, name="goal_new"),
    path("development/assessments/<id:assessment_id>/", views.assessment, name="assessment"),
    path(
        "development/assessments/<id:assessment_id>/self/",
        views.assessment_self,
        name="assessment_self",
    ),
    path(
        "development/assessments/<id:assessment_id>/supervisor/",
        views.assessment_supervisor,
        name="assessment_supervisor",
    ),
]
