from django.urls import path

from keywork.oncall import views

app_name = "oncall"

urlpatterns = [
    path("on-call/", views.home, name="home"),
    path("on-call/rotas/new/", views.rota_new, name="rota_new"),
    path("on-call/rotas/<id:rota_id>/", views.rota, name="rota"),
    path("on-call/rotas/<id:rota_id>/change/", views.rota_edit, name="rota_edit"),
    path("on-call/rotas/<id:rota_id>/patterns/new/", views.pattern_new, name="pattern_new"),
    path("on-call/rotas/<id:rota_id>/shifts/new/", views.shift_new, name="shift_new"),
    path("on-call/shifts/<id:shift_id>/", views.shift, name="shift"),
    path("on-call/shifts/<id:shift_id>/swap/", views.shift_swap, name="shift_swap"),
    path("on-call/shifts/<id:shift_id>/remove/", views.shift_remove, name="shift_remove"),
    path("on-call/my-number/", views.number, name="number"),
    path("on-call/time-off/new/", views.time_off_new, name="time_off_new"),
    path("on-call/log/new/", views.entry_new, name="entry_new"),
    path("on-call/log/<id:entry_id>/", views.entry, name="entry"),
    path("on-call/log/<id:entry_id>/correct/", views.entry_amend, name="entry_amend"),
    path("on-call/follow-ups/<id:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
    path("services/<id:service_id>/handover/", views.handover, name="handover"),
    path("services/<id:service_id>/handover/print/", views.handover, name="handover_print"),
    path("services/<id:service_id>/handover/read/", views.handover_read, name="handover_read"),
]
