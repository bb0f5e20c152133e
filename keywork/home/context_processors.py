from django.http import HttpRequest
from django.urls import reverse

from keywork import access
from keywork.core.contributions import contributed


def shell(request: HttpRequest) -> dict[str, list[dict[str, object]]]:
    """The menu: every area's places, each shown only to those who may go there."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", bool)():
        return {"navigation": []}
    path = request.path
    items = []
    for item in contributed("menu"):
        if item.capability is not None and not access.has_capability(user, item.capability):
            continue
        if item.when is not None and not item.when(user):
            continue
        url = reverse(item.url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "current": current})
    return {"navigation": items}
