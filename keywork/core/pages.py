"""Helpers that every area's pages share: refusing a GET, and calling a service from a
form so that what it refuses shows on the form."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseNotAllowed


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
