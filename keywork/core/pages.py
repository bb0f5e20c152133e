"""Helpers that every area's pages share: refusing a GET, calling a service from a form so
that what it refuses shows on the form, and the page that does both."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme


def next_page(request: HttpRequest, default: str) -> str:
    """Where to go on to: the page of this site the request names in `next` (posted or
    in the address), else `default`. Only a path: anything else that passes as a
    relative address ("0", "nan") redirect() would take for the name of a URL pattern,
    and another site's address would send someone away from Keywork."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def post_only(request: HttpRequest) -> HttpResponseNotAllowed | None:
    """Refuse a GET after the record was looked up, so a stranger learns nothing."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def apply_to_form(form: forms.BaseForm, call: Callable[[dict[str, Any]], object]) -> bool:
    """Calls a service with the form's data; its errors land on the form's fields."""
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        errors_onto_form(form, error)
        return False
    return True


def errors_onto_form(form: forms.BaseForm, error: ValidationError) -> None:
    """What a service refused, on the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    saved: str,
    then: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The shape of a page with a form, once the record behind it has been fetched and
    checked: on a valid POST, call the service; if it accepts, say `saved` and go to
    `then`; otherwise (a GET, or errors, on the fields they name) show the form."""
    if request.method == "POST" and form.is_valid() and apply_to_form(form, save):
        messages.success(request, saved)
        return redirect(then)
    return render(request, template, {"form": form, **context})
