from django.urls import path

from keywork.training import views

app_name = "training"

urlpatterns = [
    path("training/", views.home, name="home"),
    path("training/staff/<id:user_id>/", views.staff, name="staff"),
    path("training/staff/<id:user_id>/record/", views.record_new, name="record_new"),
    path("training/staff/<id:user_id>/book/", views.booking_new, name="booking_new"),
    path("training/records/<id:record_id>/change/", views.record_edit, name="record_edit"),
    path("training/records/<id:record_id>/certificate/", views.certificate, name="certificate"),
    path(
        "training/bookings/<id:booking_id>/cancel/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path("training/courses/", views.courses, name="courses"),
    path("training/courses/new/", views.course_new, name="course_new"),
    path("training/courses/<id:course_id>/change/", views.course_edit, name="course_edit"),
    path("training/matrix/", views.matrix, name="matrix"),
    path(
        "training/matrix/download.xlsx", views.matrix_download, {"fmt": "xlsx"}, name="matrix_xlsx"
    ),
    path("training/matrix/download.csv", views.matrix_download, {"fmt": "csv"}, name="matrix_csv"),
    path("training/teams/<id:team_id>/", views.team_matrix, name="team_matrix"),
    path(
        "training/teams/<id:team_id>/download.xlsx",
        views.team_matrix_download,
        {"fmt": "xlsx"},
        name="team_matrix_xlsx",
    ),
    path(
        "training/teams/<id:team_id>/download.csv",
        views.team_matrix_download,
        {"fmt": "csv"},
        name="team_matrix_csv",
    ),
]
