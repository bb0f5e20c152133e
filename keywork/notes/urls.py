from django.urls import path

from keywork.notes import views

app_name = "notes"
urlpatterns = [
    path("people/<id:person_id>/notes/", views.note_list, name="note_list"),
    path("people/<id:person_id>/notes/new/", views.note_new, name="note_new"),
    path("people/<id:person_id>/notes/draft/", views.draft_save, name="draft_save"),
    path("notes/search/", views.search, name="search"),
    path("people/<id:person_id>/appointments/new/", views.appointment_new, name="appointment_new"),
    path("appointments/", views.my_appointments, name="my_appointments"),
    path("appointments/<id:appointment_id>/", views.appointment, name="appointment"),
    path(
        "appointments/<id:appointment_id>/change/",
        views.appointment_change,
        name="appointment_change",
    ),
    path(
        "appointments/<id:appointment_id>/cancel/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("notes/<id:note_id>/", views.note, name="note"),
    path("notes/<id:note_id>/amend/", views.note_amend, name="note_amend"),
    path("notes/<id:note_id>/void/", views.note_void, name="note_void"),
    path("notes/<id:note_id>/attachments/new/", views.attachment_new, name="attachment_new"),
    path("attachments/<id:attachment_id>/", views.attachment, name="attachment"),
]
