"""A budget's commitments and ledger entries as table rows, written in Python.

A region's budget page shows fifty commitments and fifty entries; through the template engine,
with a date and a money filter per cell and a URL reversed per row, they were most of the page's
time (issue 8), as the case list's rows were. These tags write the markup the templates did,
every value escaped by the standard library's `html.escape`.
"""

from collections.abc import Collection, Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString

from budgets.models import Commitment, EntryKind, Figure, LedgerEntry
from cases.models import CaseKind
from sozialraum.links import id_url_pattern
from sozialraum.money import money_format
from sozialraum.rows import day, table_rows

register = template.Library()

CANCELLED = ' <span class="badge text-bg-secondary">storniert</span>'
ENDED = ' <span class="badge text-bg-secondary">beendet</span>'
OVERRIDE = ' <span class="badge text-bg-warning">Überschreitung freigegeben</span>'


_CASE_KINDS = dict(CaseKind.choices)


def _commitment_row(commitment: Commitment, url: str) -> str:
    badge = CANCELLED if commitment.is_cancelled else (ENDED if commitment.ended_on else "")
    until = day(commitment.ended_on) or day(commitment.ends_on) or "31.12."
    provider = commitment.provider.short_name if commitment.provider_id else ""
    return (
        "    <tr>\n"
        f'      <th scope="row"><a href="{escape(url.format(commitment.pk))}">'
        f"{escape(commitment.title)}</a>{badge}{OVERRIDE if commitment.override_by_id else ''}"
        "</th>\n"
        f"      <td>{escape(str(_CASE_KINDS.get(commitment.kind, commitment.kind)))}</td>\n"
        f"      <td>{day(commitment.starts_on)} – {until}</td>\n"
        f"      <td>{escape(provider or '–')}</td>\n"
        f'      <td class="figure-number">{escape(money_format(commitment.bound))}</td>\n'
        f'      <td class="figure-number">{escape(money_format(commitment.paid))}</td>\n'
        "    </tr>"
    )


@register.simple_tag
def commitment_rows(commitments: Iterable[Commitment]) -> SafeString:
    url = id_url_pattern("budgets:commitment_detail")
    rows = [_commitment_row(commitment, url) for commitment in commitments]
    return table_rows(rows, columns=6, empty="Noch keine Bewilligungen.")


_ENTRY_KINDS, _FIGURES = dict(EntryKind.choices), dict(Figure.choices)


def _entry_row(entry: LedgerEntry, url: str, reversible: bool) -> str:
    notes = ""
    if entry.reason:
        notes += f"<br><small>Begründung: {escape(entry.reason)}</small>"
    if entry.reverses_id:
        notes += f"<br><small>storniert Nr. {entry.reverses_id}</small>"
    author = entry.created_by.get_full_name() or entry.created_by.username
    action = (
        f'<a href="{escape(url.format(entry.pk))}">Stornieren'
        f'<span class="visually-hidden"> Nr. {entry.pk}</span></a>'
        if reversible
        else ""
    )
    return (
        "    <tr>\n"
        f"      <td>{entry.pk}</td>\n"
        f"      <td>{day(entry.booked_on)}</td>\n"
        f"      <td>{escape(str(_ENTRY_KINDS.get(entry.kind, entry.kind)))} "
        f"({escape(str(_FIGURES.get(entry.figure, entry.figure)))})</td>\n"
        f"      <td>{escape(entry.text)}{notes}</td>\n"
        f'      <td class="figure-number">{escape(money_format(entry.amount))}</td>\n'
        f"      <td>{escape(author)}</td>\n"
        f"      <td>{action}</td>\n"
        "    </tr>"
    )


@register.simple_tag
def entry_rows(entries: Iterable[LedgerEntry], reversible_kinds: Collection[str]) -> SafeString:
    """The ledger entries; a Storno link on those of a kind this person may reverse."""
    url = id_url_pattern("budgets:entry_reverse")
    kinds = reversible_kinds or ()
    rows = [_entry_row(entry, url, entry.kind in kinds) for entry in entries]
    return table_rows(rows, columns=7, empty="Keine Buchungen.")
