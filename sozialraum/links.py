"""Links to objects by id, for pages that list many of them.

`reverse()` walks the URL resolver on every call; a list of fifty partners or a map of forty
Sozialräume spent more time reversing the same pattern than rendering the rows. The pattern is
reversed once per process with a stand-in id, then filled in per row.
"""

import functools

from django.urls import reverse

_SLOT = 987654321  # stands in for the id while the pattern is reversed; no real id collides


@functools.cache
def id_url_pattern(view_name: str) -> str:
    """ "cases:detail" → "/faelle/{}/": the view's URL with its one integer argument left open."""
    return reverse(view_name, args=[_SLOT]).replace(str(_SLOT), "{}")


def id_url(view_name: str, pk: int) -> str:
    """The same as reverse(view_name, args=[pk]) for views taking one integer id."""
    return id_url_pattern(view_name).format(int(pk))
