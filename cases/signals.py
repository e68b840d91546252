"""Events of casework that other apps act on, without cases importing them.

Budgets sits above cases (it knows assignments; cases knows nothing of money), so booking a
commitment when a provider is commissioned is a listener of these signals. Listeners run inside
the service's transaction: a listener that raises `ValidationError` refuses the whole step (an
assignment the budget cannot carry is never created), and a listener may return a German notice
for the person who took the step.
"""

from django.dispatch import Signal

# kwargs: assignment, user, override_reason
assignment_commissioned = Signal()

# kwargs: assignment, user, ended_on — the help (and with it the assignment) ended early or as
# planned, or the case closed.
assignment_ended = Signal()


def notices_of(responses: list[tuple[object, object]]) -> list[str]:
    """The notices listeners returned, in order, skipping those with nothing to say."""
    return [str(notice) for _, notice in responses if notice]
