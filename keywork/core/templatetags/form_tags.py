from django import template

register = template.Library()


@register.filter
def shown_value(bound_field) -> str:
    """The field's value as its widget would write it (a date as 27/11/2026, not the
    locale's '27 Nov 2026'), so what the form shows is what the form accepts back."""
    value = bound_field.value()
    if value is None:
        return ""
    formatted = bound_field.field.widget.format_value(value)
    return "" if formatted is None else str(formatted)
