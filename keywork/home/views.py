from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.core.models import Notification
from keywork.core.services import notifications_mark_read
from keywork.home.panels import home_panels
from keywork.home.selectors import home_for, notifications_for


@access.signed_in_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home/home.html",
        {"home": home_for(request.user), "panels": home_panels(request.user)},
    )


@access.signed_in_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notifications_mark_read(
            user=request.user, notifications=Notification.objects.filter(user=request.user)
        )
        return redirect("home:notifications")
    return render(
        request, "home/notifications.html", {"notifications": notifications_for(request.user)}
    )
