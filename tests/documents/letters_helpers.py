"""Shared pieces of the letter tests: a help plan with steps and a scheduled review, and the
text of a PDF as a reader (pdftotext) would see it."""

import datetime
import io
import re

from pypdf import PdfReader

from cases.models import StepOwner
from cases.services import action_step_add, review_schedule


def pdf_text(data: bytes) -> str:
    """All pages' text, whitespace collapsed, hyphenation at line ends undone."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text.replace("-\n", ""))


def plan_with_steps(user, help_):
    """The help's plan with a step for the family and one for the Träger, and its first
    review scheduled for 15.09. at 10:00 in Raum 2.14."""
    plan = help_.help_plan
    goal = plan.goals.first()
    action_step_add(
        user=user,
        goal=goal,
        text="Abendritual mit Vorlesen einführen",
        owner=StepOwner.FAMILY,
        due_on=datetime.date(2026, 10, 31),
    )
    action_step_add(
        user=user,
        goal=goal,
        text="Wochenplan gemeinsam aufstellen",
        owner=StepOwner.PROVIDER,
        due_on=datetime.date(2026, 11, 15),
    )
    review = plan.reviews.first()
    review_schedule(
        user=user,
        review=review,
        on=datetime.date(2030, 9, 15),
        time=datetime.time(10, 0),
        place="Jugendamt, Raum 2.14",
        persons=list(help_.case.persons.all()),
        reason="",
    )
    review.refresh_from_db()
    return plan, review
