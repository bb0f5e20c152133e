from django.urls import path

from keywork.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("<id:job_id>/", views.job, name="job"),
    path("<id:job_id>/progress/", views.progress, name="progress"),
]
