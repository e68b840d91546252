"""German in every detail (issue 24): the portal's own messages only, German placeholders and
decimal commas. The browser crawl over every page is tests/browser/test_ui_german.py."""

import ast
import importlib
import inspect
import re
from decimal import Decimal
from pathlib import Path

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.exceptions import ValidationError

from sozialraum.form_helpers import (
    CHOOSE,
    DJANGO_BLANK,
    DecimalField,
    FormHelper,
    choose_placeholders,
    localized_bounds,
)

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "budgets", "cases", "network", "overview", "privacy", "reports", "sozialraum")


def _form_modules() -> list[str]:
    """Every module of the apps that declares a form class (forms*.py, views with a form …)."""
    names = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if {"migrations", "management"} & set(path.parts):
                continue
            if re.search(r"class \w+\(.*forms\.(Model)?Form\b", path.read_text(encoding="utf-8")):
                names.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return names


FORM_MODULES = _form_modules()


# --- novalidate: the server's German messages, every problem at once ---------------------------


def test_crispy_helper_puts_novalidate_on_the_form_tag():
    class Form(forms.Form):
        name = forms.CharField(label="Name")

    form = Form()
    form.helper = FormHelper()
    html = render_crispy_form(form)
    assert re.search(r"<form [^>]*\bnovalidate\b", html), html


def test_assigning_attrs_keeps_novalidate():
    helper = FormHelper()
    helper.attrs = {"data-no-draft": ""}
    assert helper.attrs == {"data-no-draft": "", "novalidate": True}


def _python_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_every_crispy_helper_is_the_portals():
    """crispy's own FormHelper would render a form without novalidate."""
    offenders = []
    for path in _python_files():
        if path == ROOT / "sozialraum" / "form_helpers.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "crispy_forms.helper":
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, "import FormHelper from sozialraum.form_helpers: " + ", ".join(offenders)


def test_every_hand_written_form_tag_has_novalidate():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        for tag in re.findall(r"<form\b[^>]*>", path.read_text(encoding="utf-8")):
            if "novalidate" not in tag:
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
    assert not offenders, "\n".join(offenders)


# --- "Bitte wählen" instead of "---------" --------------------------------------------------------


def _form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module_name and issubclass(cls, forms.BaseForm):
                yield cls


def test_no_form_field_offers_djangos_dashes():
    """Fields declared on the form; model forms' generated fields are checked below."""
    offenders = []
    for cls in _form_classes():
        if issubclass(cls, forms.BaseModelForm):
            continue
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField):
                continue
            if isinstance(field, forms.ModelChoiceField):
                labels = [field.empty_label]
            elif isinstance(field, forms.ChoiceField):
                labels = [label for _, label in field.choices]
            else:
                continue
            if DJANGO_BLANK in labels:
                offenders.append(f"{cls.__name__}.{name}")
    assert not offenders, offenders


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["PartnerForm", "OfferForm", "AgreementForm", "ConferenceForm"])
def test_network_model_forms_say_bitte_waehlen(name):
    from network import forms as network_forms
    from sozialraum.models import User

    cls = getattr(network_forms, name)
    kwargs = {"staff": User.objects.none()} if name in {"AgreementForm", "ConferenceForm"} else {}
    html = str(cls(**kwargs))
    assert DJANGO_BLANK not in html
    if name in {"PartnerForm", "AgreementForm"}:
        assert f">{CHOOSE}</option>" in html


def test_choose_placeholders_replaces_both_kinds_of_dashes():
    class Form(forms.Form):
        plain = forms.ChoiceField(choices=[("", DJANGO_BLANK), ("a", "A")])
        model = forms.ModelChoiceField(queryset=None)

    form = Form()
    choose_placeholders(form)
    assert next(iter(form.fields["plain"].choices)) == ("", CHOOSE)
    assert form.fields["model"].empty_label == CHOOSE


# --- decimal commas ---------------------------------------------------------------------------


def _message(field: forms.Field, value: str) -> str:
    with pytest.raises(ValidationError) as raised:
        field.clean(value)
    return " ".join(raised.value.messages)


def test_minimum_of_a_money_field_is_written_with_a_decimal_comma():
    from budgets.forms import money_field

    message = _message(money_field("Betrag (€)"), "0")
    assert "0,01" in message
    assert "0.01" not in message
    assert message == "Dieser Wert muss größer oder gleich 0,01 sein."


def test_maximum_with_a_decimal_comma():
    field = DecimalField(max_value=Decimal("39.5"), max_digits=5, decimal_places=2, localize=True)
    assert _message(field, "40") == "Dieser Wert muss kleiner oder gleich 39,5 sein."


def test_integer_bounds_stay_plain():
    field = localized_bounds(forms.IntegerField(min_value=2000))
    assert _message(field, "1999") == "Dieser Wert muss größer oder gleich 2000 sein."


def test_every_decimal_form_field_writes_its_bounds_in_german():
    """No form declares Django's own DecimalField: its bound messages print "0.01"."""
    offenders = []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            bounded = getattr(field, "min_value", None) is not None or (
                getattr(field, "max_value", None) is not None
            )
            german = isinstance(field, DecimalField)
            if isinstance(field, forms.DecimalField) and bounded and not german:
                offenders.append(f"{cls.__name__}.{name}")
    assert not offenders, offenders


# --- actions not possible yet: shown with the reason ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("intake", "Erst möglich, wenn der Fall in Klärung ist"),
        ("no_help", "Setzen Sie den Status zuerst zurück auf „Klärung“"),
    ],
)
def test_help_decision_not_possible_yet_is_shown_with_the_reason(client, status, reason):
    from django.urls import reverse

    from tests.cases.factories import CaseFactory

    case = CaseFactory(status=status)
    client.force_login(case.steering_caseworker)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reason in page
    assert 'disabled aria-describedby="hilfe-entscheiden-grund">Hilfe entscheiden</button>' in page
    assert reverse("cases:help_decide", args=[case.pk]) not in page


@pytest.mark.django_db
def test_help_decision_in_clarification_is_a_link(client):
    from django.urls import reverse

    from tests.cases.factories import CaseFactory

    case = CaseFactory(status="clarification")
    client.force_login(case.steering_caseworker)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:help_decide", args=[case.pk]) in page
    assert "hilfe-entscheiden-grund" not in page


# --- figures that mean what they say -----------------------------------------------------------


@pytest.mark.django_db
def test_start_page_counts_open_cases_and_says_how_many_run(client):
    from django.urls import reverse

    from tests.cases.factories import CaseFactory

    first = CaseFactory(status="intake")
    caseworker = first.steering_caseworker
    sozialraum = first.sozialraum
    CaseFactory(status="clarification", steering_caseworker=caseworker, sozialraum=sozialraum)
    CaseFactory(status="running", steering_caseworker=caseworker, sozialraum=sozialraum)
    CaseFactory(status="closed", steering_caseworker=caseworker, sozialraum=sozialraum)
    client.force_login(caseworker)
    page = client.get(reverse("asd_home")).content.decode()
    assert "Sie steuern 3 offene Fälle, davon 1 im Status „laufend“." in page
    assert "laufende Fälle" not in page
