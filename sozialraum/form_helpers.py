"""What every form of the portal shares so that it speaks German only, down to the last message.

- `FormHelper`: crispy's helper with `novalidate` on the form tag. The browser's own checks
  (`required`, `min`, `type="date"` …) would otherwise stop a submit with a bubble in the
  browser's language and show one problem at a time; with `novalidate` the server's German
  messages come back, every problem of the form at once. The attributes stay on the fields,
  where assistive technology announces them.
- `form_helper`: such a helper for a form sent by POST, its layout and its submit button (as
  nearly every form of the portal is).
- `CHOOSE`: the label of a select's empty choice ("Bitte wählen" instead of Django's "---------").
- `CheckboxList`: checkboxes with a text filter instead of a Ctrl-click multi-select.
- `DecimalField` / `localized_bounds`: Django's "größer oder gleich 0.01" with the limit in
  German notation ("0,01").
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from crispy_forms.helper import FormHelper as CrispyFormHelper
from crispy_forms.layout import Layout, Submit
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import BLANK_CHOICE_DASH
from django.utils.formats import number_format

from sozialraum.plausibility import length_limits_state

CHOOSE = "Bitte wählen"
# The empty choice of a filter, where leaving it empty means "no restriction".
ALL = "alle"
# Django's empty choice: ModelChoiceField's default empty_label and a model field's blank choice.
DJANGO_BLANK = BLANK_CHOICE_DASH[0][1]


class FormHelper(CrispyFormHelper):
    """crispy's FormHelper whose form tag always carries `novalidate` (see the module docstring).

    Assigning `attrs` keeps it too, so `helper.attrs = {"data-no-draft": ""}` cannot drop it.
    """

    @property
    def attrs(self) -> dict[str, Any]:
        return self._attrs

    @attrs.setter
    def attrs(self, value: dict[str, Any]) -> None:
        self._attrs = {**value, "novalidate": True}

    def render_layout(self, form: Any, context: Any, template_pack: Any = TEMPLATE_PACK) -> Any:
        # Every text field with a limit says so before the person reaches it (issue 24).
        length_limits_state(form)
        return super().render_layout(form, context, template_pack=template_pack)


def form_helper(
    *layout: Any,
    submit: str | None = None,
    name: str = "speichern",
    css_class: str | None = None,
    form_tag: bool = True,
    multipart: bool = False,
) -> FormHelper:
    """The helper of a form sent by POST: its layout, then one submit button labelled `submit`
    (none where the page draws its own buttons). `name` tells the view which button was
    pressed where a page has several; `form_tag=False` where a template wraps two forms in one
    <form>; `multipart` for a file upload."""
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_tag = form_tag
    if multipart:
        helper.attrs = {"enctype": "multipart/form-data"}
    parts = list(layout)
    if submit:
        parts.append(Submit(name, submit, css_class=css_class))
    helper.layout = Layout(*parts)
    return helper


def _german(limit: Any) -> Any:
    """A decimal limit in German notation (Decimal("0.01") → "0,01"); other limits unchanged."""
    if isinstance(limit, Decimal | float):
        return number_format(limit, use_l10n=True)
    return limit


class LocalizedMinValueValidator(MinValueValidator):
    """MinValueValidator whose message names a decimal limit with a decimal comma."""

    def __call__(self, value: Any) -> None:
        try:
            super().__call__(value)
        except ValidationError as error:
            raise ValidationError(
                self.message, code=self.code, params={"limit_value": _german(self.limit_value)}
            ) from error


class LocalizedMaxValueValidator(MaxValueValidator):
    """MaxValueValidator whose message names a decimal limit with a decimal comma."""

    def __call__(self, value: Any) -> None:
        try:
            super().__call__(value)
        except ValidationError as error:
            raise ValidationError(
                self.message, code=self.code, params={"limit_value": _german(self.limit_value)}
            ) from error


def localized_bounds(field: forms.Field) -> forms.Field:
    """Swap the field's Django min/max validators for ones that write the limit in German."""
    swapped: list[Any] = []
    for validator in field.validators:
        if type(validator) is MinValueValidator:
            validator = LocalizedMinValueValidator(validator.limit_value)
        elif type(validator) is MaxValueValidator:
            validator = LocalizedMaxValueValidator(validator.limit_value)
        swapped.append(validator)
    field.validators = swapped
    return field


class DecimalField(forms.DecimalField):
    """forms.DecimalField whose bound messages read "größer oder gleich 0,01"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        localized_bounds(self)


def choose_placeholders(form: forms.BaseForm) -> None:
    """Replace Django's "---------" empty choice in every select of the form by "Bitte wählen".

    For model forms, whose selects Django builds from the model's fields; call it at the end of
    `__init__`. A field whose empty choice means something else ("alle", "keine") says so itself.
    """
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_BLANK:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField):
            choices = list(cast(Iterable[tuple[Any, Any]], field.choices))
            if any(label == DJANGO_BLANK for _, label in choices):
                field.choices = [
                    (value, CHOOSE if label == DJANGO_BLANK else label) for value, label in choices
                ]


class CheckboxList(forms.CheckboxSelectMultiple):
    """A list of checkboxes instead of a multi-select (which needs Ctrl-click and hides what is
    chosen); static/js/checklist.js puts a text filter above a long list."""

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(attrs={"data-checklist": "", **(attrs or {})}, **kwargs)
