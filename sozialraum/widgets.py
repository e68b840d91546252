"""Form widgets that write their HTML in Python, for forms rendered on every request.

Django renders each widget through its template engine: a text input or a checkbox through two
nested templates, a select through one template per option. The case list's filter form (a text
field, four selects with every provider of the city, three checkboxes) is shown on the page
caseworkers open most, and its widgets were a third of that page's Python work (issue 8). These
widgets write exactly the markup of Django's templates (tests/sozialraum/test_widgets.py compares
them), so the page looks and reads out the same.
"""

import functools
from html import escape as html_escape
from typing import Any

from django import forms
from django.utils.choices import normalize_choices
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attrs_html(attrs: dict[str, Any]) -> str:
    """Django's attrs.html: in the dict's order, a True value as a bare name, False left out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickInputMixin:
    """input.html written directly; for TextInput, CheckboxInput and their kind."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        value_html = (
            ""
            if widget["value"] is None
            else f' value="{conditional_escape(str(widget["value"]))}"'
        )
        return mark_safe(  # noqa: S308 - every part is escaped above
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{value_html}{_attrs_html(widget["attrs"])}>'
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickCheckboxInput(QuickInputMixin, forms.CheckboxInput):
    pass


@functools.lru_cache(maxsize=256)
def _options_html(choices: tuple) -> str:
    """The options of a choice list, none selected. Kept per list: the filter's lists (every
    provider of the city) are the same on every page, and escaping them was most of the work."""
    return "".join(
        f'\n  <option value="{html_escape(str(choice))}">{html_escape(str(label))}</option>\n'
        for choice, label in choices
    )


class QuickSelect(forms.Select):
    """select.html for flat (id, label) choices, options written once per list and then only
    marked as selected."""

    @property
    def choices(self) -> Any:
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        # A list of flat (value, label) pairs is what Django's normalize_choices would make of
        # it anyway; checking each of the city's providers again on every page cost more than
        # writing them. Anything else (a queryset's iterator, a dict) is normalized as usual.
        self._choices = value if type(value) is list else normalize_choices(value)

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> SafeString:
        options = _options_html(tuple(self.choices))
        for selected in dict.fromkeys(self.format_value(value)):
            tag = f'<option value="{html_escape(selected)}">'
            options = options.replace(tag, f"{tag[:-1]} selected>", 1)
        attrs_html = _attrs_html(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 - every part is escaped (_attrs_html, _options_html)
            f'<select name="{conditional_escape(name)}"{attrs_html}>{options}\n</select>'
        )
