from django.urls import path

from keywork.administration import views

app_name = "administration"
urlpatterns = [
    # Staff and their roles.
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path(
        "staff/invitations/<id:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("staff/<id:user_id>/", views.staff_detail, name="staff_detail"),
    path("staff/<id:user_id>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<id:user_id>/roles/new/", views.role_add, name="role_add"),
    path(
        "staff/<id:user_id>/roles/<id:membership_id>/remove/",
        views.role_remove,
        name="role_remove",
    ),
    # The organisation's set-up.
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/areas/new/", views.area_edit, name="area_new"),
    path("organisation/areas/<id:area_id>/", views.area_edit, name="area_edit"),
    path("organisation/services/new/", views.service_edit, name="service_new"),
    path("organisation/services/<id:service_id>/", views.service_edit, name="service_edit"),
    path(
        "organisation/services/<id:service_id>/archive/",
        views.service_archive,
        name="service_archive",
    ),
    path("organisation/teams/new/", views.team_edit, name="team_new"),
    path("organisation/teams/<id:team_id>/", views.team_edit, name="team_edit"),
    path("organisation/teams/<id:team_id>/archive/", views.team_archive, name="team_archive"),
    # The audit.
    path("audit/", views.audit, name="audit"),
]
