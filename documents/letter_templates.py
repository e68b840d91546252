"""Letter templates the office edits: a restricted Django template language, checked before it
is stored, and the rendering of a letter to HTML and to a PDF (WeasyPrint).

Why restricted: an administrator types these templates in the portal. The full template language
could load tag libraries, include other templates (and with them other data), reverse URLs, dump
the context (`{% debug %}`) or mark text as safe. The letter engine knows only the tags and
filters named below; anything else is refused with a German message naming the line, and so is a
placeholder that is not documented for the kind of letter (`documents.letters_schema`), an HTML
element outside a small list, or any attribute but `class` (no `src`, `href` or `style` that
could make WeasyPrint fetch a file or a URL — the PDF renderer may fetch nothing at all anyway).

Rendering sees only plain values built by `documents.selectors_letters`, with autoescaping on.
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template import Template as DjangoTemplate
from django.template.base import Lexer, TokenType
from django.template.loader import render_to_string

from documents.letters_schema import (
    FORLOOP,
    PART_LABELS,
    REQUIRED,
    SCHEMAS,
    Group,
    ListOf,
    Node,
    Value,
    parts_of,
)

ALLOWED_TAGS = (
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "empty",
    "endfor",
    "with",
    "endwith",
    "firstof",
    "now",
    "spaceless",
    "endspaceless",
    "comment",
    "endcomment",
)
ALLOWED_FILTERS = (
    "date",
    "time",
    "default",
    "default_if_none",
    "yesno",
    "linebreaks",
    "linebreaksbr",
    "upper",
    "lower",
    "capfirst",
    "title",
    "length",
    "join",
    "first",
    "last",
    "pluralize",
    "truncatewords",
    "wordwrap",
    "floatformat",
)
# The opening tags among ALLOWED_TAGS (their closing tags are checked by the compiler).
_OPENING = {"if", "for", "with", "firstof", "now", "spaceless", "comment"}
# HTML a letter may contain: text structure and tables, no media, links, forms or styles.
ALLOWED_ELEMENTS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h1",
    "h2",
    "h3",
    "h4",
    "div",
    "span",
    "hr",
    "small",
    "address",
}

# The Library the letter engine loads instead of Django's builtins: the allowed tags and filters
# taken from Django's own libraries, nothing else.
register = Library()
for _name in ALLOWED_TAGS:
    if _name in defaulttags.register.tags:
        register.tags[_name] = defaulttags.register.tags[_name]
for _name in ALLOWED_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]


class LetterEngine(Engine):
    """A template engine with no builtins but the letter library, no loaders, no libraries:
    `{% load %}`, `{% include %}`, `{% extends %}`, `{% url %}`, `{% csrf_token %}` … are
    unknown tags to it."""

    default_builtins: list[str] = []


_engine = LetterEngine(
    builtins=["documents.letter_templates"],
    libraries={},
    loaders=[],
    autoescape=True,
    debug=True,  # syntax errors carry the line (`template_debug`)
    string_if_invalid="",
)

# WeasyPrint logs every layout step at INFO; a batch of letters would flood the worker log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_FILTER = re.compile(r"\|\s*([A-Za-z_]\w*)")
_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.\w+)*)")
_HTML_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)([^>]*)>|<!--|<\?|<!")
_ATTRIBUTE = re.compile(r"([A-Za-z_:][-\w:.]*)\s*(=|$|\s)")
# Words of the tags' own syntax, not placeholders.
_KEYWORDS = {
    "in",
    "not",
    "and",
    "or",
    "is",
    "as",
    "with",
    "only",
    "reversed",
    "None",
    "True",
    "False",
}


def _refuse(part: str, line: int, message: str) -> ValidationError:
    return ValidationError(
        "%(part)s, Zeile %(line)s: %(message)s",
        code="letter_template",
        params={"part": PART_LABELS.get(part, part), "line": line, "message": message},
    )


@dataclass
class _Scope:
    """The names a template may use at a point: the documented ones and its loop variables."""

    names: dict[str, Node]


def _resolve(path: str, scope: _Scope) -> Node | None:
    """The schema node a dotted placeholder names, or None when it is not documented."""
    head, *rest = path.split(".")
    node: Node | None = FORLOOP if head == "forloop" else scope.names.get(head)
    for segment in rest:
        if node is None or segment.startswith("_"):
            return None
        if isinstance(node, Group):
            node = node.fields.get(segment)
        elif isinstance(node, ListOf) and segment.isdigit():
            node = Group(node.label, node.fields) if node.fields else Value(node.label)
        else:
            return None
    return node


def _list_item(node: Node | None) -> Node | None:
    if not isinstance(node, ListOf):
        return None
    return Group(node.label, node.fields) if node.fields else Value(node.label)


def _names_in(expression: str) -> list[str]:
    """The placeholders an expression of a tag or `{{ }}` uses (strings and filters left out;
    a filter's argument that is a placeholder stays in)."""
    text = _STRING.sub(" ", expression)
    text = _FILTER.sub(" ", text)
    found = []
    for name in _NAME.findall(text):
        if name in _KEYWORDS or name[0].isdigit():
            continue
        found.append(name)
    return found


def _check_html(part: str, text: str, line: int) -> None:
    for match in _HTML_TAG.finditer(text):
        at = line + text[: match.start()].count("\n")
        if match.group(2) is None:
            raise _refuse(part, at, "Kommentare und Sonderanweisungen in HTML sind nicht erlaubt.")
        element = match.group(2).lower()
        if element not in ALLOWED_ELEMENTS:
            raise _refuse(
                part,
                at,
                f"Das HTML-Element „{element}“ ist in Briefvorlagen nicht erlaubt "
                f"(erlaubt: {', '.join(sorted(ALLOWED_ELEMENTS))}).",
            )
        attributes = _STRING.sub(" ", match.group(3)).strip().rstrip("/")
        for name, _ in _ATTRIBUTE.findall(attributes):
            if name.lower() != "class":
                raise _refuse(
                    part,
                    at,
                    f"Das HTML-Attribut „{name}“ ist nicht erlaubt (nur „class“), damit ein "
                    "Brief keine Dateien oder Adressen nachladen kann.",
                )


def _check_tokens(part: str, source: str, schema: dict[str, Node]) -> set[str]:
    """Walk the template's tokens; refuse the first thing outside the rules. Returns the
    placeholders used (for the required ones)."""
    scope = _Scope(names=dict(schema))
    used: set[str] = set()

    def check_names(names: Iterable[str], line: int) -> None:
        for name in names:
            if any(segment.startswith("_") for segment in name.split(".")):
                raise _refuse(part, line, f"„{name}“: Namen mit Unterstrich sind nicht erlaubt.")
            if _resolve(name, scope) is None:
                raise _refuse(
                    part,
                    line,
                    f"Den Platzhalter „{name}“ gibt es für diesen Brief nicht. Erlaubt sind "
                    "nur die in der Liste genannten Platzhalter.",
                )
            used.add(name)

    for token in Lexer(source).tokenize():
        line = token.lineno or 1
        if token.token_type == TokenType.TEXT:
            _check_html(part, token.contents, line)
            continue
        if token.token_type == TokenType.COMMENT:
            continue
        contents = token.contents.strip()
        if token.token_type == TokenType.VAR:
            for name in _FILTER.findall(_STRING.sub(" ", contents)):
                if name not in ALLOWED_FILTERS:
                    raise _refuse(
                        part,
                        line,
                        f"Der Filter „{name}“ ist in Briefvorlagen nicht erlaubt (erlaubt: "
                        f"{', '.join(ALLOWED_FILTERS)}).",
                    )
            check_names(_names_in(contents), line)
            continue
        # A block tag.
        tag, _, rest = contents.partition(" ")
        if tag not in ALLOWED_TAGS:
            raise _refuse(
                part,
                line,
                f"Der Befehl „{{% {tag} %}}“ ist in Briefvorlagen nicht erlaubt, weil er andere "
                "Daten lesen oder die Vorlage verlassen könnte. Erlaubt sind: "
                + ", ".join(t for t in ALLOWED_TAGS if t in _OPENING)
                + ".",
            )
        for name in _FILTER.findall(_STRING.sub(" ", rest)):
            if name not in ALLOWED_FILTERS:
                raise _refuse(part, line, f"Der Filter „{name}“ ist nicht erlaubt.")
        if tag == "for":
            loop_vars, _, iterable = rest.partition(" in ")
            iterable = iterable.strip().removesuffix(" reversed").strip()
            check_names(_names_in(iterable), line)
            item = _list_item(_resolve(iterable.split("|")[0].strip(), scope))
            if item is None:
                raise _refuse(part, line, f"„{iterable}“ ist keine Liste.")
            for variable in loop_vars.replace(",", " ").split():
                if variable.startswith("_"):
                    raise _refuse(part, line, "Namen mit Unterstrich sind nicht erlaubt.")
                scope.names[variable] = item
        elif tag == "with":
            for binding in rest.split():
                name, equals, value = binding.partition("=")
                if equals:
                    check_names(_names_in(value), line)
                    node = _resolve(value.split("|")[0], scope)
                    scope.names[name] = node if node is not None else Value(name)
            if " as " in f" {rest} ":
                value, _, name = rest.rpartition(" as ")
                check_names(_names_in(value), line)
                node = _resolve(value.strip().split("|")[0], scope)
                scope.names[name.strip()] = node if node is not None else Value(name)
        elif tag == "now":
            if _names_in(rest):
                raise _refuse(part, line, "„now“ braucht ein Datumsformat in Anführungszeichen.")
        else:
            check_names(_names_in(rest), line)
    return used


def _syntax_message(error: str) -> str:
    """Django's English syntax error, told in German."""
    unclosed = re.search(r"Unclosed tag on line \d+: '(\w+)'", error)
    if unclosed:
        return f"Der Befehl „{{% {unclosed.group(1)} %}}“ wird nicht wieder geschlossen."
    unexpected = re.search(r"Invalid block tag on line \d+: '(\w+)'", error)
    if unexpected:
        return (
            f"„{{% {unexpected.group(1)} %}}“ steht hier ohne passenden öffnenden Befehl "
            "oder an der falschen Stelle."
        )
    return (
        "Die Vorlage ist fehlerhaft (z. B. ein Filter ohne Wert, eine fehlende Klammer oder "
        "ein unvollständiger Befehl)."
    )


def template_check(*, kind: str, part: str, source: str) -> DjangoTemplate:
    """Compile one part of a letter template, or raise ValidationError (German, with the
    line) when it breaks the rules of letter templates or has a syntax error."""
    schema = SCHEMAS[kind]
    used = _check_tokens(part, source, schema)
    try:
        compiled = _engine.from_string(source)
    except TemplateSyntaxError as error:
        debug = getattr(error, "template_debug", None) or {}
        raise _refuse(part, debug.get("line", 1), _syntax_message(str(error))) from None
    for required in REQUIRED.get(kind, {}).get(part, ()):
        if required not in used:
            raise _refuse(
                part,
                1,
                f"Der Platzhalter „{{{{ {required} }}}}“ muss in diesem Brief vorkommen "
                "(ein Bescheid braucht Rechtsgrundlage und Rechtsbehelfsbelehrung).",
            )
    return compiled


def template_parts_check(*, kind: str, parts: dict[str, str]) -> dict[str, DjangoTemplate]:
    """Every part of a template version, compiled; all refusals at once, keyed by part."""
    compiled: dict[str, DjangoTemplate] = {}
    errors: dict[str, list[ValidationError]] = {}
    for part in parts_of(kind):
        try:
            compiled[part] = template_check(kind=kind, part=part, source=parts.get(part, ""))
        except ValidationError as error:
            errors.setdefault(part, []).append(error)
    if errors:
        raise ValidationError(errors)
    return compiled


def part_render(template: DjangoTemplate, context: dict) -> str:
    """One part rendered as text (the subject line; no HTML in it)."""
    return template.render(Context(context, autoescape=True)).strip()


@dataclass(frozen=True)
class LetterParts:
    """The compiled templates of one letter: the layout's four parts and the letter's two."""

    letterhead: DjangoTemplate
    address_block: DjangoTemplate
    signature: DjangoTemplate
    footer: DjangoTemplate
    subject: DjangoTemplate
    body: DjangoTemplate


@dataclass(frozen=True)
class LetterSheet:
    """A letter ready to show inside a portal page: `{% include sheet %}` renders it with its
    own plain-value context only, never with the page's (Django's include accepts any object
    with a `render(context)` method)."""

    parts: LetterParts
    context: dict

    def render(self, context: object = None) -> str:
        return render_to_string(
            "documents/letters/partials/letter_sheet.html",
            {**self.context, "letter_parts": self.parts},
        )


def letter_html(*, parts: LetterParts, context: dict, title: str) -> str:
    """The whole letter as HTML: the fixed page frame (`documents/letters/pdf/letter.html`)
    including the office's compiled parts, each rendered with the same plain-value context."""
    return render_to_string(
        "documents/letters/pdf/letter.html",
        {**context, "letter_parts": parts, "letter_title": title},
    )


def _no_fetch(url: str, *args, **kwargs) -> dict:
    # A letter is made of its text alone: no image, font or style sheet is fetched, so a template
    # cannot pull a file of the server or an address of the network into a PDF.
    raise ValueError("Letters fetch no resources.")


def letter_pdf(html: str) -> bytes:
    """Lay the letter out on A4 (DIN 5008 address window) with WeasyPrint."""
    from weasyprint import CSS, HTML  # heavy: only where PDFs are made

    css = render_to_string("documents/letters/pdf/letter.css", {})
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetch)
    return bytes(document.write_pdf(stylesheets=[CSS(string=css, url_fetcher=_no_fetch)]))
