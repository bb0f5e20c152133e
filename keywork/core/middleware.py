from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render

from keywork.core.errors import NotFoundOrNotAllowed


class RequestSizeLimitMiddleware:
    """Refuses a request body larger than Keywork ever needs before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.KEYWORK_MAX_REQUEST_BYTES:
            raise RequestDataTooBig("Request body exceeded KEYWORK_MAX_REQUEST_BYTES.")
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in user hold personal data: no browser or proxy keeps them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or not request.path.startswith(
            settings.STATIC_URL
        ):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class NotFoundOrNotAllowedMiddleware:
    """Pages answer a service's "not found or not allowed" with 404, exactly as for a
    page that does not exist."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFoundOrNotAllowed):
            raise Http404 from exception
        return None


class BusyDatabaseMiddleware:
    """When the embedded database stays locked by another writer for longer than its
    busy timeout, the request's transaction has been rolled back (nothing half-saved):
    say so, and offer to send the same entries again, rather than a 500 that loses them.
    PostgreSQL never answers like this: there a writer holds only the rows it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and "locked" in str(exception)):
            return None
        kept, left_out = [], False
        if request.method == "POST":
            sensitive = getattr(request, "sensitive_post_parameters", ())
            for name, values in request.POST.lists():
                if name == "csrfmiddlewaretoken":
                    continue
                if sensitive == "__ALL__" or name in sensitive:
                    left_out = True  # a password is typed again, never echoed to the page
                    continue
                kept += [(name, value) for value in values]
            left_out = left_out or bool(request.FILES)
        response = render(
            request,
            "core/busy.html",
            {"kept": kept, "left_out": left_out, "posted": request.method == "POST"},
            status=503,
        )
        response["Retry-After"] = "5"
        return response


class ShowingMethodsOnlyMiddleware:
    """Keywork's pages are read with GET (or HEAD) and changed with POST. Any other
    method (OPTIONS, TRACE, PUT...) is answered 405 before a view runs, so it can
    neither show a record nor leave a read in the audit."""

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Keywork uses no camera, microphone, location, payment or USB device: the browser
    is told to refuse them to every page, so that injected script cannot ask for them."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response
