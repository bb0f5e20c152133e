from datetime import date

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def age(person) -> str:
    """'42', or 'about 40' for an estimate, or '' when nobody knows."""
    today = timezone.localdate()
    if person.date_of_birth:
        born: date = person.date_of_birth
        years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return str(years)
    if person.estimated_birth_year:
        return f"about {today.year - person.estimated_birth_year}"
    return ""


@register.simple_tag
def sort_link(current: str, key: str) -> str:
    """The sort value a column header links to: pressing it again reverses the order."""
    return f"-{key}" if current == key and not key.startswith("-") else key


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
