from django.urls import path

from keywork.notices import views

app_name = "notices"
urlpatterns = [
    path("notices/", views.notice_list, name="list"),
    path("notices/new/", views.notice_new, name="new"),
    path("notices/<id:notice_id>/", views.notice, name="notice"),
    path(
        "services/<id:service_id>/notices/delivery/",
        views.delivery_report,
        name="delivery_report",
    ),
    path("notices/<id:notice_id>/change/", views.notice_change, name="change"),
    path("notices/<id:notice_id>/withdraw/", views.notice_withdraw, name="withdraw"),
    path("notices/<id:notice_id>/received/", views.received, name="received"),
    path("notices/<id:notice_id>/files/new/", views.file_new, name="file_new"),
    path("notice-files/<id:file_id>/", views.file, name="file"),
    path("notice-receipts/<id:receipt_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("properties/<id:property_id>/round-of-doors/", views.round_of_doors, name="round"),
    path(
        "properties/<id:property_id>/round-of-doors.pdf",
        views.round_of_doors_pdf,
        name="round_pdf",
    ),
]
