from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return render(
            request,
            "core/400_too_big.html",
            {
                "attachment_mb": settings.KEYWORK_ATTACHMENT_MAX_BYTES // (1024 * 1024),
                "import_mb": settings.KEYWORK_IMPORT_MAX_BYTES // (1024 * 1024),
                "request_mb": settings.KEYWORK_MAX_REQUEST_BYTES // (1024 * 1024),
            },
            status=413,
        )
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
