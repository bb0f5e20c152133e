"""A stage's response letter on paper: every part the Complaint Handling Code asks for
(the stage, the decision and the reasons, the outcome of each point, any remedy, what is
still to be done, and how to take it further), in plain words, with a large-print
version. Drawn by WeasyPrint as the support plan is."""

from django.template.loader import render_to_string
from django.utils import timezone

from keywork.feedback.models import Stage

STANDARD_PT, LARGE_PT = 12, 18  # large print is 16 point or more
OMBUDSMAN_WITHIN_MONTHS = 12


def letter_pdf(stage: Stage, *, large_print: bool) -> bytes:
    from weasyprint import HTML  # loaded here: it is slow to import and only this needs it

    complaint = stage.complaint
    html = render_to_string(
        "feedback/letter_pdf.html",
        {
            "stage": stage,
            "complaint": complaint,
            "final": stage.number == Stage.Number.TWO,
            "ombudsman_months": OMBUDSMAN_WITHIN_MONTHS,
            "font_size": LARGE_PT if large_print else STANDARD_PT,
            "large_print": large_print,
            "printed_on": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
