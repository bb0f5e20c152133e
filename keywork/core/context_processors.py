from django.urls import reverse

from keywork import access

# The menu, by capability: a user sees only the places they may go.
MENU = (
    ("Home", "home:home", None),
    ("My caseload", "people:my_caseload", access.Capability.CASEWORK),
    ("People", "people:search", access.Capability.CASEWORK),
    ("Appointments", "notes:my_appointments", access.Capability.CASEWORK),
    ("Tasks", "tasks:my_tasks", access.Capability.CASEWORK),
    ("Search notes", "notes:search", access.Capability.CASEWORK),
    ("Incidents", "risk:incidents", access.Capability.CASEWORK),
    ("Staff", "accounts:staff_list", access.Capability.STAFF_VIEW),
    ("Organisation set-up", "organisations:overview", access.Capability.ORGANISATION_MANAGE),
    ("Import", "imports:imports", access.Capability.IMPORT),
    ("Audit", "audit:search", access.Capability.AUDIT_VIEW),
)


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", bool)():
        return {"navigation": []}
    path = request.path
    items = []
    for label, url_name, capability in MENU:
        if capability is not None and not access.has_capability(user, capability):
            continue
        url = reverse(url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    return {"navigation": items}
