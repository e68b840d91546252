"""Parts of the page frame rendered once per process and only filled in per request (issue 8).

Every page shows the same header (the person's name, their role, the navigation of their role),
the same idle-timeout warning and draft keeper. Through the template engine these took about
two fifths of a simple page's Python work, while only a handful of values in them change from
request to request. A part is rendered once from its template with *marks* where those values
go, and each request puts the values, escaped, where the marks are. The templates stay the
place to change the markup; under DEBUG they are rendered anew on each request, so edits show.
"""

import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def mark(name: str) -> str:
    """Where a per-request value goes: letters the HTML escaping leaves as they are."""
    return f"@@frame-{name}@@"


def rendered_once(template_name: str) -> Callable[[Callable[..., dict]], Callable[..., str]]:
    """Decorates `context(*key)`, a pure function of hashable values (role, page, settings; per
    request values as marks), into `render(*key)`: the template rendered with that context,
    kept per key."""

    def decorate(context: Callable[..., dict]) -> Callable[..., str]:
        @functools.lru_cache(maxsize=512)
        def cached(*key: Any) -> str:
            return render_to_string(template_name, context(*key))

        @functools.wraps(context)
        def render(*key: Any) -> str:
            return cached.__wrapped__(*key) if settings.DEBUG else cached(*key)

        return render

    return decorate


_MARK = re.compile(r"@@frame-(\w+)@@")


def fill(skeleton: str, **values: Any) -> SafeString:
    """The skeleton with each value, escaped, where its mark stands. One pass: a value that
    looks like a mark (a name typed so) is not filled in again."""
    escaped = {name: conditional_escape(str(value)) for name, value in values.items()}
    filled = _MARK.sub(lambda found: escaped.get(found.group(1), found.group(0)), skeleton)
    return mark_safe(filled)  # noqa: S308 - the skeleton is a rendered template, values escaped
