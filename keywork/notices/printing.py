"""The round of doors on paper: a PDF to carry round a property, each resident with the
notices they have not had yet and a box to tick at their door. Drawn by WeasyPrint from
a template of its own, as the support plan is."""

from datetime import date

from django.template.loader import render_to_string

from keywork.housing.models import Property
from keywork.notices.models import Notice
from keywork.notices.selectors import Door


def round_pdf(
    *, property: Property, notices: list[Notice], doors: list[Door], printed_on: date
) -> bytes:
    from weasyprint import HTML  # loaded here: it is slow to import and only this needs it

    html = render_to_string(
        "notices/round_pdf.html",
        {"property": property, "notices": notices, "doors": doors, "printed_on": printed_on},
    )
    # Tagged PDF/UA-1, as the support plan: a screen reader follows the table in order.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
