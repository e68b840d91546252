"""Letter templates: what the office may write into them, and what is refused (German, with
the line), before anything is stored."""

import pytest
from django.core.exceptions import ValidationError

from documents.letter_templates import letter_html, template_check, template_parts_check
from documents.letters_defaults import DEFAULTS
from documents.letters_schema import LetterKind, sample_context


def refusal(kind: str, source: str, part: str = "body") -> str:
    with pytest.raises(ValidationError) as caught:
        template_check(kind=kind, part=part, source=source)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("kind", LetterKind.values)
def test_the_shipped_templates_pass_their_own_check(kind):
    template_parts_check(kind=kind, parts=DEFAULTS[kind])


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("{% load static %}", "load"),
        ("Hallo\n{% include 'base.html' %}", "include"),
        ("{% extends 'base.html' %}", "extends"),
        ("{% url 'cases:list' %}", "url"),
        ("{% debug %}", "debug"),
        ("{% csrf_token %}", "csrf_token"),
        ("{% ssi '/etc/passwd' %}", "ssi"),
        ("{% autoescape off %}{{ concern }}{% endautoescape %}", "autoescape"),
        ("{% templatetag openblock %}", "templatetag"),
    ],
)
def test_a_tag_that_could_read_other_data_is_refused_naming_the_line(source, named):
    message = refusal(LetterKind.HELP_PLAN, source)
    line = source.count("\n") + 1
    assert f"Brieftext, Zeile {line}:" in message
    assert f"„{{% {named} %}}“ ist in Briefvorlagen nicht erlaubt" in message


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{{ concern|safe }}", "Filter „safe“"),
        ("{{ goals|pprint }}", "Filter „pprint“"),
        ("{{ help.name.__class__ }}", "Unterstrich"),
        ("{{ case.steering_caseworker.password }}", "Platzhalter „case.steering_caseworker"),
        ("{{ goals.clear }}", "Platzhalter „goals.clear“"),
        ("{% for goal in goals %}{{ goal.text.upper }}{% endfor %}", "goal.text.upper"),
        ("{{ settings.SECRET_KEY }}", "settings.SECRET_KEY"),
        ("<img src='file:///etc/passwd'>", "HTML-Element „img“"),
        ('<p style="background: url(http://x)">a</p>', "HTML-Attribut „style“"),
        ("<script>alert(1)</script>", "HTML-Element „script“"),
    ],
)
def test_reading_beyond_the_documented_context_is_refused(source, words):
    assert words in refusal(LetterKind.HELP_PLAN, source)


def test_a_syntax_error_is_refused_in_german_with_its_line():
    message = refusal(
        LetterKind.INVITATION, "Guten Tag,\n\n{% if review.time %}um {{ review.time }}"
    )
    assert "Brieftext, Zeile 3:" in message
    assert "„{% if %}“ wird nicht wieder geschlossen" in message
    message = refusal(LetterKind.INVITATION, "a\n{% endfor %}")
    assert "Zeile 2" in message and "endfor" in message


def test_a_bescheid_template_must_keep_legal_basis_and_legal_remedy():
    body = DEFAULTS[LetterKind.DECISION_NOTICE]["body"].replace("{{ legal_remedy }}", "")
    assert "Rechtsbehelfsbelehrung" in refusal(LetterKind.DECISION_NOTICE, body)


def test_loop_variables_and_documented_placeholders_pass_and_values_are_escaped():
    source = (
        "{% for goal in goals %}{{ forloop.counter }}. {{ goal.text }}"
        "{% for step in goal.steps %} – {{ step.who }} bis {{ step.due_on|date:'d.m.Y' }}"
        "{% endfor %}{% endfor %} {{ concern }}"
    )
    template_check(kind=LetterKind.HELP_PLAN, part="body", source=source)
    parts = {**DEFAULTS[LetterKind.HELP_PLAN], "body": source}
    compiled = template_parts_check(kind=LetterKind.HELP_PLAN, parts=parts)
    layout = template_parts_check(kind=LetterKind.LAYOUT, parts=DEFAULTS[LetterKind.LAYOUT])
    from documents.letter_templates import LetterParts

    context = {**sample_context(LetterKind.HELP_PLAN), "concern": "<b>laut</b> & leise"}
    html = letter_html(parts=LetterParts(**layout, **compiled), context=context, title="t")
    assert "&lt;b&gt;laut&lt;/b&gt; &amp; leise" in html
    assert "1. Wir wollen morgens ohne Streit" in html
