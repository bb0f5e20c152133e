"""The support plan on paper: a PDF for the person to keep, in plain words, with a
large-print version. Drawn by WeasyPrint from a template of its own."""

from django.template.loader import render_to_string
from django.utils import timezone

from keywork.planning.models import Action, Goal, SupportPlan

STANDARD_PT, LARGE_PT = 12, 18  # large print is 16 point or more


def plan_pdf(plan: SupportPlan, *, large_print: bool) -> bytes:
    from weasyprint import HTML  # loaded here: it is slow to import and only this needs it

    goals = [g for g in plan.goals.all() if g.status == Goal.Status.OPEN]
    done = [g for g in plan.goals.all() if g.status != Goal.Status.OPEN]
    html = render_to_string(
        "planning/plan_pdf.html",
        {
            "plan": plan,
            "person": plan.person,
            "goals": goals,
            "closed_goals": done,
            "open_statuses": Action.OPEN_STATUSES,
            "font_size": LARGE_PT if large_print else STANDARD_PT,
            "large_print": large_print,
            "printed_on": timezone.localdate(),
        },
    )
    # Tagged PDF/UA-1: a screen reader follows the headings, lists and tables in order,
    # and reads the title (from <title>) and the language (from <html lang>).
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
