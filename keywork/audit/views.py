from django.core.paginator import Paginator
from django.shortcuts import render

from keywork import access
from keywork.audit import selectors
from keywork.audit.forms import AuditSearchForm

PAGE_SIZE = 50


@access.capability_required(access.Capability.AUDIT_VIEW)
def search(request):
    user = request.user
    form = AuditSearchForm(
        request.GET or None,
        users=selectors.audit_users(fetched_by=user),
        record_types=selectors.audited_record_types(),
    )
    query = selectors.AuditQuery()
    if form.is_bound and form.is_valid():
        query = selectors.AuditQuery(**form.cleaned_data)
    show = request.GET.get("show", "changes")
    if show == "sign-ins":
        rows = selectors.auth_events(fetched_by=user, query=query)
    else:
        show = "changes"
        rows = selectors.audit_entries(fetched_by=user, query=query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = []
    if show == "changes":
        entries = selectors.audit_rows_shown(fetched_by=user, entries=list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("show", None)
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "show": show,
            "params": params.urlencode(),
        },
    )
