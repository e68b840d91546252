"""The QR code of the authenticator setup page, drawn as inline SVG."""

import segno
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def qr_svg(text: str) -> SafeString:
    """{{ device.config_url|qr_svg }} → the text as a QR code in inline SVG.

    Safe without escaping: segno writes the text only as the code's dark and light modules,
    never as characters of the markup (no title, no description).
    """
    code = segno.make(str(text), error="m")
    return mark_safe(code.svg_inline(scale=5, dark="#000", light="#fff"))  # noqa: S308
