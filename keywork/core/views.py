from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.core.models import Notification
from keywork.core.selectors import home_for, notifications_for
from keywork.core.services import notifications_mark_read


@access.signed_in_required
def home(request):
    return render(request, "core/home.html", {"home": home_for(request.user)})


@access.signed_in_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        notifications_mark_read(
            user=request.user, notifications=Notification.objects.filter(user=request.user)
        )
        return redirect("core:notifications")
    return render(
        request, "core/notifications.html", {"notifications": notifications_for(request.user)}
    )


def bad_request(request, exception=None):
    return render(request, "core/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "core/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    # Rendered without the request: no query or context processor that could fail again.
    return HttpResponseServerError(loader.get_template("core/500.html").render())


def csrf_failure(request, reason=""):
    return render(request, "core/403_csrf.html", status=403)
