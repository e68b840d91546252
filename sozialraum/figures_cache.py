"""Figures rendered once and kept in the shared cache until their data change.

The overview pages count helps, cases, partners and offers across the city and draw the map; the
budget overview sums a year's budgets; computing and rendering that took most of their time
(issue 8), while those data change far less often than the pages are read. Figures are kept
together with the *generation* of their group they were built in, and count only while it is
the group's: a save or delete of any model of the group (`FIGURE_SOURCES`, model signals
connected when the app is ready) starts a new one, as does code that writes such rows in bulk
by calling `figures_changed`, so the next reader computes afresh.
`FIGURES_CACHE_SECONDS` bounds what a change nobody reported could cost. The sources are named,
not imported: this app is the lowest layer, and the others' models are looked up once all are
loaded.

Only figures that hold no personal data belong here, keyed by everything they depend on besides
their group's data (which Sozialraum, which region's budgets, which day). Without a shared cache
(no Redis) nothing is kept: each process would have its own copy, and one worker could not tell
the others about a change.
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
AREAS, BUDGETS = "areas", "budgets"
# The models whose rows each group's figures count or show.
FIGURE_SOURCES: dict[str, tuple[str, ...]] = {
    # Sozialraum and region pages, offers near a case, the case filter's option lists.
    AREAS: (
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
    ),
    # The budget overview. Every booking saves a ledger entry; the cached sums it moves with
    # `QuerySet.update` change in the same transaction.
    BUDGETS: (
        "budgets.Budget",
        "budgets.BudgetSplit",
        "budgets.BudgetSplitShare",
        "budgets.Commitment",
        "budgets.CommitmentTotal",
        "budgets.FiscalYear",
        "budgets.LedgerEntry",
        "budgets.Payment",
        "budgets.Reserve",
        "budgets.ReserveTransferRequest",
        "cases.HelpType",
        "sozialraum.Provider",
        "sozialraum.Region",
        "sozialraum.Sozialraum",
    ),
}


def generation_key(group: str) -> str:
    return f"figures:generation:{group}"


def _new_generation(group: str) -> None:
    cache.set(generation_key(group), uuid.uuid4().hex, None)


def figures_changed(group: str = AREAS) -> None:
    """Every figure of the group cached so far is out of date.

    A new generation at once, so that the writer's own next page shows the change, and again
    after the commit: another reader between the write and the commit may have cached the old
    figures under the first new generation.
    """
    _new_generation(group)
    transaction.on_commit(lambda: _new_generation(group))


def all_figures_changed() -> None:
    """Every cached figure is out of date: after data were written without model signals
    (`bulk_create` of a generator, a restore), or into a database the cache has not seen."""
    for group in FIGURE_SOURCES:
        figures_changed(group)


def cached_figures(key: tuple, build: Callable[[], T], *, group: str = AREAS) -> T:
    """What `build()` returns for `key` (page, id, day, options), from the cache if it is there.

    `key` must name everything the value depends on besides the group's data, and the value
    must hold no personal data. The value is kept with the generation it was built in, and
    both are read in one round trip: it counts only while its generation is the group's.
    """
    seconds = settings.FIGURES_CACHE_SECONDS
    if not seconds:
        return build()
    generation_name = generation_key(group)
    name = "figures:" + ":".join(str(part) for part in (group, *key))
    found = cache.get_many([generation_name, name])
    generation = found.get(generation_name)
    if generation is None:  # a fresh cache: the first reader starts the count
        cache.add(generation_name, uuid.uuid4().hex, None)
        generation = cache.get(generation_name)
    stored = found.get(name)
    if stored is not None and stored[0] == generation:
        return stored[1]
    value = build()
    cache.set(name, (generation, value), seconds)
    return value


def connect_signals() -> None:
    for group, labels in FIGURE_SOURCES.items():

        def written(sender, group=group, **kwargs) -> None:
            figures_changed(group)

        for label in labels:
            model = apps.get_model(label)
            uid = f"figures-{group}-{label}"
            post_save.connect(written, sender=model, weak=False, dispatch_uid=f"{uid}-save")
            post_delete.connect(written, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    # Neighbours of a boundary: the map and the line of neighbouring Sozialräume.
    neighbours = apps.get_model("network.SozialraumBoundary").neighbours.through
    m2m_changed.connect(
        lambda sender, **kwargs: figures_changed(AREAS),
        sender=neighbours,
        weak=False,
        dispatch_uid="figures-areas-neighbours",
    )
