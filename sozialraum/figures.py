"""Figures that many people read and nobody's request changes: kept a short while in the cache.

The Sozialraum and region pages show counts over the whole city, the same for every reader, so
they are kept in Django's cache for `FIGURES_CACHE_SECONDS` (a minute by default with Redis): a
change shows at the latest then. Keys name an area, a day and a map shading, never a person.
(The budget overview needs no cache: it reads the balances each booking keeps.)
"""

from collections.abc import Callable
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")


def figures_cached(key: str, compute: Callable[[], T]) -> T:
    """The value kept under `key`, or `compute()` kept from now on; 0 seconds: always computed."""
    if not settings.FIGURES_CACHE_SECONDS:
        return compute()
    # get_or_set returns the kept or the computed value; the stubs add None for a None default.
    return cast(T, cache.get_or_set(f"figures:{key}", compute, settings.FIGURES_CACHE_SECONDS))
