"""What each attendee reads of a case on the agenda.

ASD staff of the case's region read the case as it is. Träger staff read it pseudonymised until
their Träger is commissioned for the case (a running `Assignment`): initials and ages instead of
names, no address, no birth date, no case number, and the family's words with every name and
the street of the case replaced by its initial. The texts are scrubbed when shown (page and
PDF), never stored twice: commissioning lifts the pseudonym at once, and a corrected name is
scrubbed too.

The family's own words (concern, will, resources) reach pseudonymised readers only as the
agenda item's `provider_summary`, which the team lead writes and releases: the scrubber knows
the names the case records, not the grandmother or the teacher the family names in passing.
Until it is released they read that the presentation is still to come.
"""

import datetime
import re
from dataclasses import dataclass

from cases.models import AssignmentStatus, Case, Person, PersonRole
from cases.permissions import region_of_asd
from sozialraum.models import Role, User

# A date written in the text (a birth date typed into the concern) never reaches a pseudonym.
DATE_PATTERN = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?(\d{4}|\d{2})\b")


@dataclass(frozen=True)
class Presentation:
    identified: bool
    heading: str  # "Fall 2026-N-0001: Mia Schröder (9 J.) …" or "Familie S.: M. S. (9 J.) …"
    people: list[str]
    concern: str
    will: str
    resources: list[str]
    # Pseudonymised readers: the team lead's released presentation instead of the family's
    # words ("" until released).
    summary: str = ""


def _initial(word: str) -> str:
    return f"{word[:1].upper()}." if word else ""


def _initials(person: Person) -> str:
    return f"{_initial(person.first_name)} {_initial(person.last_name)}".strip()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", text) if len(w) >= 2]


class Scrubber:
    """Replaces the names of a case's persons and its street by their initials, and dates by
    "[Datum]"."""

    def __init__(self, case: Case | None, persons: list[Person]) -> None:
        self.pattern: re.Pattern[str] | None = None
        self.active = case is not None
        if case is None:  # reads names anyway: nothing to replace
            return
        words: set[str] = set()
        for person in persons:
            words.update(_words(person.first_name))
            words.update(_words(person.last_name))
        words.update(_words(case.street))
        ordered = sorted(words, key=len, reverse=True)
        if ordered:
            self.pattern = re.compile(
                r"\b(" + "|".join(re.escape(w) for w in ordered) + r")\b", re.IGNORECASE
            )

    def __call__(self, text: str) -> str:
        if not text or not self.active:
            return text
        if self.pattern is not None:
            text = self.pattern.sub(lambda m: _initial(m.group(0)), text)
        return DATE_PATTERN.sub("[Datum]", text)

    def found(self, text: str) -> str:
        """What of the case the text still names, for a message: "„Sandra“, ein Datum"."""
        named = sorted({m.group(0) for m in self.pattern.finditer(text)}) if self.pattern else []
        parts = [f"„{word}“" for word in named]
        if DATE_PATTERN.search(text):
            parts.append("ein Datum")
        return ", ".join(parts)


IDENTITY = Scrubber(None, [])


def is_identified_for(user: User, case: Case) -> bool:
    """Whether `user` reads the case with names: ASD of its region, or Träger staff whose Träger
    carries out a help of the case."""
    if region_of_asd(user) == case.region_id:
        return True
    if user.effective_role != Role.PROVIDER_STAFF or user.provider_id is None:
        return False
    # Read from the prefetched assignments where the agenda loaded them.
    return any(
        a.provider_id == user.provider_id and a.status == AssignmentStatus.ACTIVE
        for a in case.assignments.all()
    )


def _age(person: Person, on: datetime.date) -> str:
    age = person.age_on(on)
    return f"{age} J." if age is not None else "Alter unbekannt"


def scrubber_for(case: Case) -> Scrubber:
    return Scrubber(case, list(case.persons.all()))


def presentation_for(
    *, user: User, case: Case, on: datetime.date, summary: str = ""
) -> tuple[Presentation, Scrubber]:
    """The item as `user` may read it on the meeting day `on`, and the scrubber for the
    meeting's own texts about it (ideas, discussion, decision) — identity for those who may
    read names. `summary`: the item's released presentation for the Träger."""
    persons = list(case.persons.all())
    scrub = Scrubber(case, persons)
    identified = is_identified_for(user, case)
    children = [p for p in persons if p.role == PersonRole.CHILD]
    others = [p for p in persons if p.role != PersonRole.CHILD]
    if identified:
        people = [f"{p.first_name} {p.last_name} ({_age(p, on)})" for p in children] + [
            f"{p.first_name} {p.last_name}" + (f" ({p.relation})" if p.relation else "")
            for p in others
        ]
        heading = f"Fall {case.number}"
        resources = [r.description for r in case.resources.all()]
        presentation = Presentation(
            identified=True,
            heading=heading,
            people=people,
            concern=case.concern,
            will=case.will,
            resources=resources,
            summary=summary,
        )
        return presentation, IDENTITY
    family = {_initial(p.last_name) for p in persons if p.last_name}
    heading = "Familie " + (", ".join(sorted(family)) if family else "ohne Angaben")
    people = [f"{_initials(p)} ({_age(p, on)})" for p in children] + [
        (p.relation or p.get_role_display()) for p in others
    ]
    # The family's words only as the released presentation, scrubbed once more: a name
    # recorded after its release is replaced too.
    presentation = Presentation(
        identified=False,
        heading=heading,
        people=people,
        concern="",
        will="",
        resources=[],
        summary=scrub(summary),
    )
    return presentation, scrub
