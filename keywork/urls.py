from django.urls import include, path, register_converter

from keywork.core import views as core_views
from keywork.core.fields import RecordIdConverter

register_converter(RecordIdConverter, "id")

urlpatterns = [
    path("", include("keywork.home.urls")),
    path("", include("keywork.accounts.urls")),
    path("organisation/frameworks/", include("keywork.outcomes.urls")),
    path("", include("keywork.administration.urls")),
    path("", include("keywork.people.urls")),
    path("", include("keywork.notes.urls")),
    path("", include("keywork.timeline.urls")),
    path("", include("keywork.tasks.urls")),
    path("", include("keywork.planning.urls")),
    path("", include("keywork.risk.urls")),
    path("", include("keywork.housing.urls")),
    path("", include("keywork.activities.urls")),
    path("", include("keywork.involvement.urls")),
    path("", include("keywork.notices.urls")),
    path("", include("keywork.oncall.urls")),
    path("", include("keywork.events.urls")),
    path("", include("keywork.supervision.urls")),
    path("", include("keywork.training.urls")),
    path("", include("keywork.feedback.urls")),
    path("imports/", include("keywork.imports.urls")),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
