"""The status workflow of a case: which step may follow which, by kind of case.

Individual cases: Eingang → Klärung → Hilfe entschieden / keine Hilfe erforderlich → laufend →
beendet. Cross-case and case-independent work has no help decision: it is planned (Eingang),
runs and ends.
"""

from cases.models import CaseKind, CaseStatus

S = CaseStatus

INDIVIDUAL_TRANSITIONS: dict[str, frozenset[str]] = {
    # A case can end at intake when another office is responsible (Zuständigkeitswechsel).
    S.INTAKE: frozenset({S.CLARIFICATION, S.CLOSED}),
    S.CLARIFICATION: frozenset({S.HELP_DECIDED, S.NO_HELP}),
    # A decided help may not start (the family withdraws); the decision can be reopened.
    S.HELP_DECIDED: frozenset({S.RUNNING, S.CLARIFICATION, S.CLOSED}),
    S.NO_HELP: frozenset({S.CLOSED, S.CLARIFICATION}),
    S.RUNNING: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

PROJECT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.INTAKE: frozenset({S.RUNNING, S.CLOSED}),
    S.RUNNING: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# Steps that only a service with more information may take (not the plain status form).
NEEDS_DECISION = {S.HELP_DECIDED}


def may_close_as_transferred(kind: str, status: str) -> bool:
    """A family that moves away passes to the newly responsible office (§ 86 SGB VIII) at any
    step, also while the help is still being clarified: the hand-over closes the case with
    "Zuständigkeitswechsel" without a help decision here. The plain status form does not offer
    this step; only the hand-over takes it."""
    if status == S.CLOSED:
        return False
    return S.CLOSED in transitions_for(kind).get(status, frozenset()) or (
        kind == CaseKind.INDIVIDUAL and status == S.CLARIFICATION
    )


def transitions_for(kind: str) -> dict[str, frozenset[str]]:
    return INDIVIDUAL_TRANSITIONS if kind == CaseKind.INDIVIDUAL else PROJECT_TRANSITIONS


def allowed_next(kind: str, status: str) -> list[str]:
    """The statuses that may follow, in the order of the workflow."""
    following = transitions_for(kind).get(status, frozenset())
    return [value for value in CaseStatus.values if value in following]


def refusal_message(kind: str, from_status: str, to_status: str) -> str:
    nxt = allowed_next(kind, from_status)
    allowed = ", ".join(f"„{CaseStatus(s).label}“" for s in nxt) or "keiner (der Fall ist beendet)"
    return (
        f"Ein Fall im Status „{CaseStatus(from_status).label}“ kann nicht auf "
        f"„{CaseStatus(to_status).label}“ gesetzt werden. Möglich ist: {allowed}."
    )
