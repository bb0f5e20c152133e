from django.urls import path

from keywork.housing import views

app_name = "housing"
urlpatterns = [
    path("services/<id:service_id>/housing/", views.service, name="service"),
    path("services/<id:service_id>/properties/new/", views.property_new, name="property_new"),
    path("properties/<id:property_id>/units/new/", views.unit_new, name="unit_new"),
    path("episodes/<id:episode_id>/housing/", views.episode, name="episode"),
    path("episodes/<id:episode_id>/move-in/", views.move_in, name="move_in"),
    path("episodes/<id:episode_id>/move-on-plan/", views.move_on_plan, name="move_on_plan"),
    path(
        "episodes/<id:episode_id>/applications/new/",
        views.application_new,
        name="application_new",
    ),
    path(
        "episodes/<id:episode_id>/follow-ups/new/",
        views.sustainment_new,
        name="sustainment_new",
    ),
    path("tenancies/<id:tenancy_id>/move-out/", views.move_out, name="move_out"),
    path("applications/<id:application_id>/", views.application, name="application"),
]
