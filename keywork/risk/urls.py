from django.urls import path

from keywork.risk import views

app_name = "risk"
urlpatterns = [
    path("people/<id:person_id>/risk/", views.risk, name="risk"),
    path("people/<id:person_id>/risk/edit/", views.risk_edit, name="risk_edit"),
    path(
        "people/<id:person_id>/risk/versions/<id:number>/",
        views.risk_version,
        name="risk_version",
    ),
    path(
        "people/<id:person_id>/safeguarding/new/",
        views.safeguarding_new,
        name="safeguarding_new",
    ),
    path("safeguarding/<id:referral_id>/", views.safeguarding, name="safeguarding"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/new/", views.incident_new, name="incident_new"),
    path("incidents/all/<slug:which>/", views.incident_list, name="incident_list"),
    path("incidents/<id:incident_id>/", views.incident, name="incident"),
    path("incidents/<id:incident_id>/sign-off/", views.incident_sign_off, name="incident_sign_off"),
    path("incident-parts/<id:part_id>/", views.incident_part, name="incident_part"),
    path("incident-parts/<id:part_id>/edit/", views.incident_part_edit, name="incident_part_edit"),
]
