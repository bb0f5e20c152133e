from django.urls import path

from keywork.timeline import views

app_name = "timeline"
urlpatterns = [
    path("people/<id:person_id>/timeline/", views.timeline, name="timeline"),
]
