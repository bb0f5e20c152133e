from django.urls import path

from keywork.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("areas/new/", views.area_edit, name="area_new"),
    path("areas/<id:area_id>/", views.area_edit, name="area_edit"),
    path("services/new/", views.service_edit, name="service_new"),
    path("services/<id:service_id>/", views.service_edit, name="service_edit"),
    path("services/<id:service_id>/archive/", views.service_archive, name="service_archive"),
    path("teams/new/", views.team_edit, name="team_new"),
    path("teams/<id:team_id>/", views.team_edit, name="team_edit"),
    path("teams/<id:team_id>/archive/", views.team_archive, name="team_archive"),
]
