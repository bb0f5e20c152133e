from django.urls import path

from keywork.activities import views

app_name = "activities"
urlpatterns = [
    path("people/<id:person_id>/activities/", views.activities, name="activities"),
    path("people/<id:person_id>/activities/new/", views.activity_new, name="activity_new"),
    path("activities/<id:activity_id>/outcomes/new/", views.event_new, name="event_new"),
]
