"""The rows of an offer table (templates/network/partials/offer_table.html), written in Python.

The table stands on every case record ("Angebote in der Nähe der Familie"), on the offer search
and on partner pages; through the template engine its rows were a seventh of the case record's
Python work (issue 8). The tag writes the markup the template did, every value escaped.
"""

from collections.abc import Collection, Iterable
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from network.models import Offer, TargetGroup
from sozialraum.links import id_url_pattern
from sozialraum.rows import table_rows, text_or_dash

register = template.Library()

REFERRAL = ' <span class="badge text-bg-secondary">Zuweisung nötig</span>'
LINKED = '<span class="badge text-bg-success">als Ressource erfasst</span>'
_TARGET_GROUPS = dict(TargetGroup.choices)
_SLOT = 2_147_000_001  # an offer id no real one is, replaced by each row's


def _provider_cell(offer: Offer, partner_url: str) -> str:
    if offer.partner_id:
        url = escape(partner_url.format(offer.partner_id))
        return f'<a href="{url}">{escape(offer.partner.name)}</a>'
    return f'{escape(offer.provider.name)} <span class="text-body-secondary">(Träger)</span>'


def _sozialraum_name(offer: Offer) -> str:
    if offer.sozialraum_id:
        return offer.sozialraum.name
    if offer.partner_id and offer.partner.sozialraum_id:
        return offer.partner.sozialraum.name
    return ""


def _link_cell(offer: Offer, link: dict[str, Any]) -> str:
    if offer.pk in link["linked"]:
        return f"<td>{LINKED}</td>"
    if not link["can_link"]:
        return "<td>–</td>"
    action = escape(link["action"].replace(str(_SLOT), str(offer.pk)))
    return (
        f'<td><form method="post" action="{action}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(link["token"])}">'
        f'<input type="hidden" name="zurueck" value="{escape(link["back"])}">'
        '<button type="submit" class="btn btn-sm btn-outline-primary">Als Ressource übernehmen'
        f'<span class="visually-hidden">: {escape(offer.title)}</span></button></form></td>'
    )


def _row(offer: Offer, urls: tuple[str, str], link: dict[str, Any] | None) -> str:
    offer_url, partner_url = urls
    fee = "kostenfrei" if offer.is_free else (offer.fee_note or "kostenpflichtig")
    group = _TARGET_GROUPS.get(offer.target_group, offer.target_group)
    return (
        "    <tr>\n"
        f'      <th scope="row"><a href="{escape(offer_url.format(offer.pk))}">'
        f"{escape(offer.title)}</a>{REFERRAL if offer.referral_required else ''}</th>\n"
        f"      <td>{_provider_cell(offer, partner_url)}</td>\n"
        f"      <td>{text_or_dash(_sozialraum_name(offer))}</td>\n"
        f"      <td>{escape(str(group))}</td>\n"
        f"      <td>{escape(offer.age_display)}</td>\n"
        f"      <td>{text_or_dash(offer.languages)}</td>\n"
        f"      <td>{escape(fee)}</td>\n"
        f"      <td>{text_or_dash(offer.schedule)}</td>\n"
        f"      {_link_cell(offer, link) if link else ''}\n"
        "    </tr>"
    )


@register.simple_tag(takes_context=True)
def offer_rows(
    context: template.Context,
    offers: Iterable[Offer],
    link_case: Any = None,
    linked_offer_ids: Collection[int] = (),
    can_link: bool = False,
    back: str = "",
) -> SafeString:
    """With `link_case`, a last cell per offer: taken into the case's resources already, or a
    button that takes it (for those who may change the case)."""
    link = None
    if link_case:
        link = {
            "linked": linked_offer_ids or (),
            "can_link": can_link,
            "back": back,
            "token": str(context.get("csrf_token", "")),
            "action": reverse("cases:offer_link", args=[link_case.pk, _SLOT]),
        }
    urls = (id_url_pattern("network:offer_detail"), id_url_pattern("network:partner_detail"))
    rows = [_row(offer, urls, link) for offer in offers]
    columns = 9 if link_case else 8
    return table_rows(rows, columns=columns, empty="Keine passenden Angebote gefunden.")
