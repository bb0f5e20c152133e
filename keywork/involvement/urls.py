from django.urls import path

from keywork.involvement import views

app_name = "involvement"
urlpatterns = [
    path("involvement/", views.session_list, name="list"),
    path("involvement/new/", views.session_new, name="new"),
    path("involvement/<id:session_id>/", views.session, name="session"),
    path("involvement/<id:session_id>/change/", views.session_edit, name="session_edit"),
    path("involvement/<id:session_id>/took-part/", views.participant_add, name="participant_add"),
    path(
        "involvement-took-part/<id:participation_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("involvement/<id:session_id>/actions/new/", views.action_add, name="action_add"),
    path("involvement/<id:session_id>/you-said-we-did/", views.said_did_add, name="said_did_add"),
    path("involvement-actions/<id:action_id>/done/", views.action_done, name="action_done"),
    path("services/<id:service_id>/you-said-we-did/", views.said_did_print, name="said_did_print"),
    path("services/<id:service_id>/involvement-figures/", views.figures, name="figures"),
]
