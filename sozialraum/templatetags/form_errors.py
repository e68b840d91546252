"""The error summary of a rejected form, once for every page (templates/base.html).

A person who sends a form with mistakes lands on a summary at the top of the page that names
each mistake and links to its field, so that screen readers announce it and keyboard users
reach the field in one step (WCAG 3.3.1, 3.3.3). The summary finds the page's bound forms and
formsets in the template context by itself, so no view or template has to remember it.
"""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class FormError:
    message: str
    label: str = ""  # the field's label; empty for errors about the whole form
    field_id: str = ""  # the id the summary links to; empty when there is no field to go to


def _form_errors(form: BaseForm) -> list[FormError]:
    errors = [FormError(str(message)) for message in form.non_field_errors()]
    for name in form.errors:
        if name not in form.fields:
            continue  # non-field errors, listed above
        bound = form[name]
        field_id = "" if bound.is_hidden else bound.id_for_label or bound.auto_id or ""
        label = str(bound.label or name)
        errors.extend(FormError(str(message), label, field_id) for message in bound.errors)
    return errors


@register.simple_tag(takes_context=True)
def collect_form_errors(context: template.Context) -> list[FormError]:
    """Every error of every bound form and formset the page shows, fields in form order."""
    errors: list[FormError] = []
    seen: set[int] = set()
    for value in context.flatten().values():
        if not isinstance(value, BaseForm | BaseFormSet) or not value.is_bound:
            continue
        if id(value) in seen:
            continue  # the same form under two names
        seen.add(id(value))
        if isinstance(value, BaseFormSet):
            errors.extend(FormError(str(message)) for message in value.non_form_errors())
            for form in value.forms:
                errors.extend(_form_errors(form))
        else:
            errors.extend(_form_errors(value))
    return errors
