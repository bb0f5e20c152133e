"""The printed plan is a tagged PDF/UA document that a screen reader can follow: it has
a title and a language, and every word (the page numbers too) is in the sans-serif font
of the rest of the plan, never a serif fallback."""

import re
import shutil
import subprocess
import zlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.outcomes.models import Domain
from keywork.planning import services

pytestmark = pytest.mark.skipif(
    shutil.which("pdfinfo") is None or shutil.which("pdffonts") is None,
    reason="pdfinfo and pdffonts (Debian's poppler-utils) are not installed",
)


@pytest.fixture
def plan(world, episode):
    plan = services.plan_start(actor=world.worker, episode=episode)
    domain = Domain.objects.get(framework=plan.framework, name="Money")
    goal = services.goal_add(
        actor=world.worker, plan=plan, domain=domain, in_own_words="Pay off the gas bill"
    )
    services.action_add(
        actor=world.worker,
        goal=goal,
        what="Ring the gas company",
        owner="person",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return plan


def poppler(tool: str, pdf: bytes, *options: str) -> str:
    result = subprocess.run([tool, *options, "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def uncompressed(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated: the catalogue, which holds the
    document's language, sits in a compressed object stream."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_info(pdf: bytes) -> dict[str, str]:
    fields = {}
    for line in poppler("pdfinfo", pdf).splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def font_names(pdf: bytes) -> list[str]:
    # pdffonts prints two heading lines, then one font a line, its name first.
    return [line.split()[0] for line in poppler("pdffonts", pdf).splitlines()[2:] if line]


@pytest.mark.parametrize("query", ["", "?print=large"], ids=["standard", "large print"])
def test_it_prints_the_plan_as_a_tagged_pdf_ua_with_a_title_and_language(client_for, plan, query):
    response = client_for("worker").get(reverse("planning:plan_print", args=[plan.pk]) + query)
    assert response.status_code == 200
    info = pdf_info(response.content)
    assert info["Tagged"] == "yes"
    assert info["Title"] == f"Your support plan: {plan.person.display_name}"
    assert info["PDF version"] == "1.7"
    assert re.search(rb"/Lang\s*\(en-GB\)", uncompressed(response.content))
    assert 'pdfuaid:part="1"' in poppler("pdfinfo", response.content, "-meta")
    # The row headings of the plan's details are tagged as headings of their rows.
    structure = poppler("pdfinfo", response.content, "-struct-text")
    assert "H1 (block)" in structure and "TH" in structure


def test_it_leaves_the_page_numbers_out_of_what_a_screen_reader_reads(client_for, plan):
    response = client_for("worker").get(reverse("planning:plan_print", args=[plan.pk]))
    assert "Page 1 of 1" in poppler("pdftotext", response.content, "-")
    assert "Page 1 of" not in poppler("pdfinfo", response.content, "-struct-text")


@pytest.mark.parametrize("query", ["", "?print=large"], ids=["standard", "large print"])
def test_it_prints_every_word_of_the_plan_in_one_sans_serif_font(client_for, plan, query):
    response = client_for("worker").get(reverse("planning:plan_print", args=[plan.pk]) + query)
    fonts = font_names(response.content)
    assert fonts, "the PDF embeds no fonts"
    # Embedded subsets are named ABCDEF+Family-Style: Liberation-Sans, Liberation-Sans-Bold.
    names = [name.split("+", 1)[-1] for name in fonts]
    assert not [name for name in names if "serif" in name.lower()], (
        f"a serif font is embedded: {names}"
    )
    families = {re.sub(r"-(Bold|Italic|Oblique|Regular)+$", "", name) for name in names}
    assert len(families) == 1, f"the plan mixes fonts: {names}"
