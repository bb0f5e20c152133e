from django.urls import path

from keywork.feedback import views

app_name = "feedback"

urlpatterns = [
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<id:complaint_id>/", views.complaint, name="complaint"),
    path("complaints/<id:complaint_id>/escalate/", views.complaint_escalate, name="escalate"),
    path(
        "complaints/<id:complaint_id>/stage-<int:number>/acknowledge/",
        views.stage_acknowledge,
        name="acknowledge",
    ),
    path(
        "complaints/<id:complaint_id>/stage-<int:number>/extend/",
        views.stage_extend,
        name="extend",
    ),
    path(
        "complaints/<id:complaint_id>/stage-<int:number>/answer/",
        views.stage_respond,
        name="respond",
    ),
    path(
        "complaints/<id:complaint_id>/stage-<int:number>/letter/",
        views.stage_letter,
        name="letter",
    ),
]
