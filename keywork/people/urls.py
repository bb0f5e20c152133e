from django.urls import path

from keywork.people import views

app_name = "people"
urlpatterns = [
    path("people/", views.search, name="search"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/outside-my-caseload/", views.break_glass, name="break_glass"),
    path("people/<id:person_id>/", views.person, name="person"),
    path("people/<id:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<id:person_id>/identifiers/new/", views.identifier_new, name="identifier_new"),
    path("people/<id:person_id>/alerts/new/", views.alert_new, name="alert_new"),
    path("people/<id:person_id>/alerts/<id:alert_id>/end/", views.alert_end, name="alert_end"),
    path(
        "people/<id:person_id>/emergency-contacts/new/",
        views.emergency_contact_new,
        name="emergency_contact_new",
    ),
    path("people/<id:person_id>/consents/new/", views.consent_new, name="consent_new"),
    path(
        "people/<id:person_id>/consents/<id:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "people/<id:person_id>/professionals/new/",
        views.professional_new,
        name="professional_new",
    ),
    path("people/<id:person_id>/referrals/new/", views.referral_new, name="referral_new"),
    path(
        "people/<id:person_id>/possible-duplicates/new/",
        views.possible_duplicate_new,
        name="possible_duplicate_new",
    ),
    path(
        "people/<id:person_id>/merge/<id:other_id>/",
        views.person_merge,
        name="person_merge",
    ),
    path("referrals/<id:referral_id>/", views.referral, name="referral"),
    path("people/<id:person_id>/print/", views.person_print, name="person_print"),
    path("episodes/<id:episode_id>/end/", views.episode_end, name="episode_end"),
    path("episodes/<id:episode_id>/co-workers/", views.co_workers, name="co_workers"),
    path("episodes/<id:episode_id>/reopen/", views.episode_reopen, name="episode_reopen"),
    path("services/<id:service_id>/waiting-list/", views.waiting_list, name="waiting_list"),
    path("caseload/", views.my_caseload, name="my_caseload"),
    path("teams/", views.team_caseloads, name="team_caseloads"),
    path("teams/<id:team_id>/caseload/", views.team_caseload, name="team_caseload"),
]
