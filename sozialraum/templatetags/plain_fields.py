"""Bootstrap 5 form fields written in Python, for forms rendered on every request.

crispy-forms renders each field through several nested templates; for the case list's filter form
(eleven fields on a page caseworkers open hundreds of times a day) that was a third of the
page's time. `{% plain_field form.name %}` writes the same markup crispy's bootstrap5 pack does
(label, widget, help text, error with `aria-invalid` and `aria-describedby`), so the page looks,
reads out and links from the error summary exactly as before. Forms filled once in a while keep
their crispy layouts.
"""

from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _widget_class(widget: forms.Widget) -> str:
    # crispy marks each widget with its class name (e.g. "textinput") before Bootstrap's own.
    base = (
        "form-check-input"
        if isinstance(widget, forms.CheckboxInput)
        else ("form-select" if isinstance(widget, forms.Select) else "form-control")
    )
    return f"{widget.__class__.__name__.lower()} {base}"


@register.simple_tag
def plain_field(bound: BoundField) -> SafeString:
    """One field with its label, help text and errors, as crispy's bootstrap5 pack writes it."""
    widget = bound.field.widget
    auto_id = bound.auto_id
    described_by = []
    css = _widget_class(widget)
    attrs: dict[str, str] = {}
    if bound.errors:
        css += " is-invalid"
        attrs["aria-invalid"] = "true"
        described_by.append(f"{auto_id}_error")
    if bound.help_text:
        described_by.append(f"{auto_id}_helptext")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    attrs["class"] = f"{css} {widget.attrs['class']}" if widget.attrs.get("class") else css
    control = bound.as_widget(attrs=attrs)
    errors = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            auto_id,
            format_html_join(
                "",
                '<span id="error_{}_{}"><strong>{}</strong></span>',
                ((number, auto_id, message) for number, message in enumerate(bound.errors, 1)),
            ),
        )
        if bound.errors
        else ""
    )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', auto_id, bound.help_text)
        if bound.help_text
        else ""
    )
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{} '
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            auto_id,
            control,
            bound.id_for_label,
            bound.label,
            errors,
            help_text,
        )
    required = mark_safe('<span class="asteriskField">*</span>') if bound.field.required else ""
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}{}</label> '
        "{}{}{}</div>",
        auto_id,
        bound.id_for_label,
        bound.label,
        required,
        control,
        errors,
        help_text,
    )
