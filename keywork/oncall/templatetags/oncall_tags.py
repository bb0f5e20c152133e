from django import template

register = template.Library()


@register.filter
def number_of(numbers: dict, user_id: int) -> str:
    return (numbers or {}).get(user_id, "")


@register.filter
def tel_href(number: str) -> str:
    """A number as a tel: link takes it: digits and a leading +."""
    return "".join(c for c in number if c.isdigit() or c == "+")
