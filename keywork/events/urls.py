from django.urls import path

from keywork.events import views

app_name = "events"
urlpatterns = [
    path("events/", views.events, name="events"),
    path("services/<id:service_id>/events/", views.service, name="service"),
    path("services/<id:service_id>/events/new/", views.event_new, name="event_new"),
    path("services/<id:service_id>/events/calendar/", views.feed_settings, name="feed_settings"),
    path("events/calendar/<str:token>.ics", views.feed, name="feed"),
    path("events/<id:event_id>/", views.event, name="event"),
    path("events/<id:event_id>/change/", views.event_edit, name="event_edit"),
    path("events/<id:event_id>/end/", views.event_end, name="event_end"),
    path("events/sessions/<id:session_id>/", views.session, name="session"),
    path("events/sessions/<id:session_id>/move/", views.session_move, name="session_move"),
    path("events/sessions/<id:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("events/sessions/<id:session_id>/register/", views.register, name="register"),
    path("events/sign-ups/<id:sign_up_id>/cancel/", views.signup_cancel, name="signup_cancel"),
]
