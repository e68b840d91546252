"""Figures rendered once and kept in the shared cache until their data change.

The overview pages count helps, cases, partners and offers across the city and draw the map;
computing and rendering that took most of their time (issue 8), while those data change far less
often than the pages are read. Rendered parts are kept under a key that holds the data's
*generation*: a save or delete of any model in `FIGURE_SOURCES` starts a new one (model signals,
connected when the app is ready), as does code that writes such rows in bulk by calling
`figures_changed`, so the next reader computes afresh. `FIGURES_CACHE_SECONDS` bounds what a
change nobody reported could cost. The sources are named, not imported: this app is the lowest
layer, and the others' models are looked up once all are loaded.

Only parts that hold no personal data and do not depend on who reads them belong here. Without a
shared cache (no Redis) nothing is kept: each process would have its own copy, and one worker
could not tell the others about a change.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")
GENERATION_KEY = "figures:generation"
# Models whose rows the cached parts count or show.
FIGURE_SOURCES = (
    "cases.Case",
    "cases.Help",
    "cases.HelpType",
    "cases.RiskAssessment",
    "network.Offer",
    "network.Partner",
    "network.RegionBoundary",
    "network.SozialraumBoundary",
    "sozialraum.AsdTeam",
    "sozialraum.Population",
    "sozialraum.Provider",
    "sozialraum.Region",
    "sozialraum.Sozialraum",
)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def figures_changed() -> None:
    """Every part cached so far is out of date.

    A new generation at once, so that the writer's own next page shows the change, and again
    after the commit: another reader between the write and the commit may have cached the old
    figures under the first new generation.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:  # a fresh cache: the first reader starts the count
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cached_figures(key: tuple, build: Callable[[], T]) -> T:
    """What `build()` returns for `key` (page, id, day, options), from the cache if it is there.

    `key` must name everything the value depends on besides the generation's data, and the value
    must be the same for every reader.
    """
    seconds = settings.FIGURES_CACHE_SECONDS
    if not seconds:
        return build()
    name = "figures:" + ":".join(str(part) for part in (*key, _generation()))
    value = cache.get(name)
    if value is None:
        value = build()
        cache.set(name, value, seconds)
    return value


def _written(sender, **kwargs) -> None:
    figures_changed()


def connect_signals() -> None:
    for label in FIGURE_SOURCES:
        model = apps.get_model(label)
        post_save.connect(_written, sender=model, dispatch_uid=f"figures-save-{label}")
        post_delete.connect(_written, sender=model, dispatch_uid=f"figures-delete-{label}")
    # Neighbours of a boundary: the map and the line of neighbouring Sozialräume.
    neighbours = apps.get_model("network.SozialraumBoundary").neighbours.through
    m2m_changed.connect(_written, sender=neighbours, dispatch_uid="figures-neighbours")
