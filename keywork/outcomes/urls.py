from django.urls import path

from keywork.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("new/", views.framework_new, name="framework_new"),
    path("choose/", views.framework_choose, name="framework_choose"),
    path("<id:framework_id>/", views.framework, name="framework"),
    path("<id:framework_id>/change/", views.framework_edit, name="framework_edit"),
    path("<id:framework_id>/archive/", views.framework_archive, name="framework_archive"),
]
