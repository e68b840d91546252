"""German, and no wider than the window, on every page the demo accounts reach (issue 24).

Each demo account logs in and walks the portal from its start page: the navigation, the start
page's links and the links of the pages found that way, at most MAX_PAGES pages per account and
MAX_PER_VIEW pages of one view (a second case page finds what the first one lacks); logout and
downloads are skipped. Every page is checked

- at 1,280 px and at 360 px: the document is no wider than the window (a wide table scrolls in
  its own box, the page does not);
- for Django's "---------" and for English giveaways (Django's untranslated messages, "None",
  "True", button words …) in the visible text, the labels of options and buttons, and the
  title, placeholder and aria-label attributes;
- for forms without `novalidate` in the HTML the server sent (the browser's own bubbles would
  speak the browser's language before the portal's messages).

The first form of each view that refuses empty input is posted empty once, and the page with
its messages is checked the same way: Django's own English messages would show there.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve
from django.urls.exceptions import Resolver404
from playwright.sync_api import Error, Page

from sozialraum.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 360)
MAX_PAGES = 40
MAX_PER_VIEW = 2
SKIPPED_VIEWS = {"logout", "session_extend"}
SKIPPED_NAMESPACES = {"admin"}
# Downloads and files: no page to read.
SKIPPED_PATH = re.compile(r"(export|download|herunterladen|\.csv|\.xlsx|\.pdf|/datei)", re.I)

DJANGO_BLANK = "---------"
# Words and phrases that give away English in a German page: Django's untranslated messages,
# Python values printed as text, and the words of untranslated buttons and paging.
ENGLISH = re.compile(
    r"This field is required|Ensure this value|Select a valid choice|Enter a valid|"
    r"Enter a whole number|is not one of the available choices|"
    r"\b(?:Please|None|True|False|Submit|Save|Delete|Cancel|Search|Next|Previous|Page|"
    r"Login|Logout|Password|Username|Required|Choose|Select|Yes|No|Error|Back|Edit|"
    r"Filter by|Show more|Loading|Unknown|Close)\b"
)

PAGE_TEXTS = """() => {
    const texts = [document.title, document.body.innerText];
    const labelled = 'option, button, input[type=submit], input[type=button]';
    for (const el of document.querySelectorAll(labelled)) {
        texts.push(el.textContent || '', el.value && el.tagName === 'INPUT' ? el.value : '');
    }
    for (const el of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
        for (const name of ['title', 'placeholder', 'aria-label']) {
            if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
        }
    }
    return texts.filter(Boolean);
}"""

WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# What sticks out of the window, to name in the report: outside a box that scrolls, or else
# absolutely placed (a visually hidden text escapes a scrolling box that is not positioned).
TOO_WIDE = """() => {
    const out = [...document.querySelectorAll('body *')].filter(
        el => el.getBoundingClientRect().right > window.innerWidth + 1);
    const unclipped = out.filter(el => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return false;
        }
        return true;
    });
    const placed = out.filter(el => getComputedStyle(el).position === 'absolute');
    const named = unclipped.length ? unclipped : placed;
    return named.slice(0, 3).map(el => el.outerHTML.slice(0, 160));
}"""

LINKS = """() => [...document.querySelectorAll('a[href]')]
    .map(a => new URL(a.getAttribute('href'), document.baseURI).href.split('#')[0])"""

FIRST_REQUIRED_FORM = """[...document.querySelectorAll('main form')].find(f =>
    (f.getAttribute('method') || '').toLowerCase() === 'post' && f.querySelector('[required]'))"""
# Clears the first required form and submits it with its own button, as a person would: with
# `novalidate` in the markup the server answers, without it the browser would stop the submit.
POST_EMPTY = (
    "() => { const form = "
    + FIRST_REQUIRED_FORM
    + """;
    if (!form) return false;
    for (const el of form.elements) {
        if (['hidden', 'submit', 'button', 'file'].includes(el.type)) continue;
        if (el.type === 'checkbox' || el.type === 'radio') { el.checked = false; continue; }
        if (el.tagName === 'SELECT') {
            const empty = [...el.options].findIndex(o => o.value === '');
            if (empty >= 0) el.selectedIndex = empty;
            continue;
        }
        el.value = '';
    }
    const button = form.querySelector('[type=submit]');
    if (button) button.click(); else form.requestSubmit();
    return true;
}"""
)


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    # A link to a page the account may not open: the German error page is checked like any
    # other page; the link itself is another matter, reported but not failed here.
    refused: list[str] = field(default_factory=list)


def _view_name(url: str, base_url: str) -> str | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base_url or SKIPPED_PATH.search(parts.path):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.namespace in SKIPPED_NAMESPACES or match.url_name in SKIPPED_VIEWS:
        return None
    return match.view_name


def _check_text(page: Page, findings: Findings, label: str) -> None:
    for text in page.evaluate(PAGE_TEXTS):
        if DJANGO_BLANK in text:
            findings.problems.append(f'{label}: "{DJANGO_BLANK}" as a placeholder')
        for line in text.splitlines():
            if match := ENGLISH.search(line):
                findings.problems.append(f'{label}: English "{match.group(0)}" in "{line[:120]}"')


def _check_width(page: Page, findings: Findings, label: str) -> None:
    wide = page.viewport_size or {"width": WIDTHS[0], "height": 900}
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": wide["height"]})
            scroll_width, window_width = page.evaluate(WIDTH)
            if scroll_width > window_width:
                culprits = "\n      ".join(page.evaluate(TOO_WIDE))
                findings.problems.append(
                    f"{label}: {scroll_width} px wide in a {window_width} px window:"
                    f"\n      {culprits}"
                )
    finally:
        page.set_viewport_size(wide)


def _check_forms(html: str, findings: Findings, label: str) -> None:
    for tag in re.findall(r"<form\b[^>]*>", html):
        if not re.search(r"\bnovalidate\b", tag):
            findings.problems.append(f"{label}: a form without novalidate: {tag[:160]}")


def _crawl(page: Page, base_url: str, who: str, findings: Findings) -> None:
    queue: deque[str] = deque([f"{base_url}/"])
    seen: set[str] = set(queue)
    came_from: dict[str, str] = {}
    per_view: dict[str, int] = {}
    posted: set[str] = set()
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        name = _view_name(url, base_url)
        if name is None or per_view.get(name, 0) >= MAX_PER_VIEW:
            continue
        try:
            response = page.goto(url)
        except Error as error:
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in (response.header_value("content-type") or ""):
            continue
        landed = _view_name(page.url, base_url) or name
        per_view[landed] = per_view.get(landed, 0) + 1
        pages += 1
        label = f"{urlsplit(page.url).path} ({who})"
        findings.checked.append(label)
        if response.status >= 400:
            findings.refused.append(
                f"{label}: HTTP {response.status}, linked from {came_from.get(url, '?')}"
            )
            _check_text(page, findings, label)
            _check_width(page, findings, label)
            continue
        _check_forms(response.text(), findings, label)
        _check_text(page, findings, label)
        _check_width(page, findings, label)
        for link in page.evaluate(LINKS):
            if link not in seen and _view_name(link, base_url) is not None:
                seen.add(link)
                came_from[link] = label
                queue.append(link)
        if landed not in posted:
            posted.add(landed)
            _check_empty_post(page, findings, label)


def _check_empty_post(page: Page, findings: Findings, label: str) -> None:
    """Post the first required form empty: its messages must be the portal's, in German."""
    if not page.evaluate(f"() => Boolean({FIRST_REQUIRED_FORM})"):
        return
    url = page.url
    try:
        with page.expect_navigation(timeout=5_000):
            page.evaluate(POST_EMPTY)
    except Error:
        findings.problems.append(f"{label}: posting the form empty reached no server answer")
        page.goto(url)
        return
    error_label = f"{label} – leer abgeschickt"
    findings.checked.append(error_label)
    _check_text(page, findings, error_label)
    _check_width(page, findings, error_label)
    page.goto(url)


def test_every_page_is_german_and_fits_the_window(live_server, browser):
    call_command("demo_town", verbosity=0)
    findings = Findings()
    for username, *_ in DEMO_ACCOUNTS:
        context = browser.new_context(locale="de-DE", viewport={"width": WIDTHS[0], "height": 900})
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            log_in(page, live_server.url, username, DEMO_PASSWORD)
            assert "/anmelden/" not in page.url, f"{username} could not log in"
            _crawl(page, live_server.url, username, findings)
        finally:
            context.close()
    print(f"\n{len(findings.checked)} pages checked:\n  " + "\n  ".join(findings.checked))
    if findings.refused:
        print("Links to pages that refuse the account:\n  " + "\n  ".join(findings.refused))
    problems = list(dict.fromkeys(findings.problems))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "line",
    [
        "This field is required.",
        "Ensure this value is greater than or equal to 0.01.",
        "Status: None",
        "Save",
        "Page 2 of 3",
    ],
)
def test_the_english_check_sees_english(line):
    assert ENGLISH.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "Dieses Feld ist zwingend erforderlich.",
        "Speichern",
        "Seite 2 von 3",
        "Noten und Zeugnisse",
        "Bitte wählen",
    ],
)
def test_the_english_check_leaves_german_alone(line):
    assert not ENGLISH.search(line)


def test_conference_participants_are_checkbox_lists_with_a_filter(live_server, page):
    """Six lists of checkboxes instead of Ctrl-click multi-selects; the filter above a list
    hides what does not match and keeps what is ticked."""
    from network.demo import demo_build
    from network.models import Partner
    from sozialraum.demo import demo_town_build

    demo_town_build()
    demo_build()
    log_in(page, live_server.url, "planung", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/netzwerk/konferenzen/neu/")
    assert page.locator("main select[multiple]").count() == 0
    invited = page.get_by_role("group", name="Eingeladene Partner")
    boxes = invited.get_by_role("checkbox")
    total = boxes.count()
    assert total == Partner.objects.filter(is_active=True).count() > 6
    first, other = Partner.objects.filter(is_active=True).order_by("name")[:2]
    invited.get_by_label(first.name, exact=True).check()
    invited.get_by_label("Liste filtern").fill(other.name)
    visible = [box for box in boxes.all() if box.is_visible()]
    labels = {box.evaluate("b => b.labels[0].textContent.trim()") for box in visible}
    assert other.name in labels and first.name in labels  # the ticked one stays
    assert len(visible) < total
    assert f"von {total} Einträgen angezeigt" in invited.inner_text()
    invited.get_by_label("Liste filtern").fill("")
    assert sum(box.is_visible() for box in boxes.all()) == total
