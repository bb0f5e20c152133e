from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def note_text(text: str) -> SafeString:
    """Paragraphs (blank lines) and lists (lines starting "- " or "* "), everything else
    escaped: what was typed is shown, never run."""
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    html = []
    for block in blocks:
        lines = block.split("\n")
        if all(line.lstrip().startswith(("- ", "* ")) for line in lines if line.strip()):
            items = "".join(
                f"<li>{escape(line.lstrip()[2:])}</li>" for line in lines if line.strip()
            )
            html.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        else:
            html.append(f'<p class="govuk-body">{"<br>".join(escape(line) for line in lines)}</p>')
    return mark_safe("".join(html))  # noqa: S308 - every piece of text above is escaped
