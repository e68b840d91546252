"""Protecting families in public committee papers: the rule lives in `sozialraum.suppression`
(shared with the KJH statistics); this module keeps the names the reports app has always used."""

from sozialraum.suppression import (
    HIDDEN,
    NOTE,
    SMALL,
    ProtectedTable,
    Shown,
    derived,
    is_small,
    protect_table,
    suppress,
)

__all__ = [
    "HIDDEN",
    "NOTE",
    "SMALL",
    "ProtectedTable",
    "Shown",
    "derived",
    "is_small",
    "protect_table",
    "suppress",
]
