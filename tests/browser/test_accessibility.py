"""Every page each role can reach passes axe-core (WCAG 2.0/2.1, levels A and AA), also with errors.

The pages come from the URL configuration, not from a hand-kept list: every GET view of the portal
whose role check admits the role (`allowed_roles`, see sozialraum/access.py), and the open views
(login, statement) for everyone, anonymous visitors included; the second step of the login, which
the demo accounts skip, with an account of its own. URL parameters are filled with the demo
town's objects the way a person finds them: by following the links of the pages the role has
already seen, so each page is audited with an object the role may open. Views the first pages do
not lead to are found through the pages of `OBJECT_PAGES`, then through further objects; a
reachable view still not found fails the test, so a new page cannot slip past the audit.
POST-only views (405 to a GET) have no page.

Each form that refuses empty input is posted once empty, so its error messages are audited too,
and every page must reflow at 320 px (WCAG 1.4.10). One browser, one context and one login per
role; the report names the rule, the page and the element of every violation.
"""

import datetime
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from playwright.sync_api import Browser, BrowserContext, Error, Page

from budgets.commissioning import help_end
from cases.corrections import correction_refusal_for
from cases.models import Case, CaseKind, CaseStatus, Help, HelpPlanReview, RiskAssessment
from cases.permissions import (
    can_change_case,
    can_reopen_case,
    cases_visible_to,
    risk_assessment_for_user,
)
from network.corrections import agreement_correction_refusal
from network.models import Conference, ConferenceAgreement, Offer
from network.selectors import conferences_visible_to
from network.services import agreement_add
from sozialraum.demo import DEMO_PASSWORD
from sozialraum.models import Deputy, Role, User
from tests.browser.conftest import DEMO_ACCOUNT_OF_ROLE, log_in
from tests.conftest import totp_device
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ACCOUNTS = DEMO_ACCOUNT_OF_ROLE
ANONYMOUS = "anonymous"
# Django's own admin site is not portal code: its templates belong to Django. The read API
# ("v1") answers JSON to tools, not pages to people (tests/api checks it against its schema).
SKIPPED_NAMESPACES = {"admin", "v1"}


@dataclass
class Route:
    name: str  # "namespace:name"
    roles: tuple[str, ...] | None  # None: an open view (no role check)
    has_params: bool


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    page: str
    who: str
    target: str
    html: str

    def line(self) -> str:
        return (
            f"[{self.rule}, {self.impact}] {self.help}\n"
            f"    page: {self.page} ({self.who})\n"
            f"    element: {self.target}\n"
            f"    html: {self.html}"
        )


@dataclass
class Audit:
    axe_source: str
    base_url: str
    violations: list[Violation] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    forms_audited: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    # A link to a page the role may not open: not an accessibility failure, but worth a look.
    warnings: list[str] = field(default_factory=list)


def _routes(patterns=None, namespace: str = "") -> list[Route]:
    """Every named view of the URL configuration, with the roles its check admits."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            routes.extend(_routes(pattern.url_patterns, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            roles = getattr(pattern.callback, "allowed_roles", None)
            routes.append(
                Route(name, tuple(roles) if roles else None, bool(pattern.pattern.converters))
            )
    return routes


def _view_name(url: str, base_url: str) -> str | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base_url:
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


# WCAG 1.4.10: at 320 CSS px the content reflows; only a data table may scroll, in its own box.
REFLOW_WIDTH = 320
# What sticks out of the window at that width (outside a scrolling box), to name in the report.
TOO_WIDE = """(width) => [...document.querySelectorAll('body *')].filter(el => {
    if (el.getBoundingClientRect().right <= width + 1) return false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') return false;
    }
    return true;
}).slice(0, 3).map(el => el.outerHTML.slice(0, 160))"""


def _check_reflow(page: Page, audit: Audit, who: str, label: str) -> None:
    """Narrow the window to 320 px: the page must not scroll sideways."""
    wide = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": wide["height"]})
    try:
        if page.evaluate("document.documentElement.scrollWidth") > REFLOW_WIDTH:
            culprits = "\n      ".join(page.evaluate(TOO_WIDE, REFLOW_WIDTH))
            audit.problems.append(
                f"{label} ({who}) scrolls sideways at {REFLOW_WIDTH} px:\n      {culprits}"
            )
    finally:
        page.set_viewport_size(wide)


def _run_axe(page: Page, audit: Audit, who: str, label: str) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=audit.axe_source)
    results = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact || '', help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html})),
            }));
        }""",
        WCAG_TAGS,
    )
    audit.audited.append(f"{label} ({who})")
    for rule in results:
        for node in rule["nodes"]:
            audit.violations.append(
                Violation(
                    rule["id"],
                    rule["impact"],
                    rule["help"],
                    label,
                    who,
                    node["target"],
                    node["html"][:300],
                )
            )


def _is_page(page: Page, url: str) -> bool:
    """Whether a GET of the URL answers with a page; asked without the browser, because
    Chromium turns an empty error answer (405 of a POST-only view) into a navigation of its own
    that would cut off the next one."""
    response = page.request.get(url, max_redirects=0)
    return response.status != 405


def _open(page: Page, url: str) -> int | None:
    """Go to a URL; its HTTP status, or None when it is a download rather than a page."""
    try:
        response = page.goto(url)
    except Error as error:
        if "Download is starting" in str(error):
            return None
        raise
    if response is None or "text/html" not in (response.header_value("content-type") or ""):
        return None
    return response.status


# Where a page leads: its links, and the targets of its forms (often POST-only views).
LINKS = """() => {
    const absolute = href => new URL(href, document.baseURI).href.split('#')[0];
    return {
        links: [...document.querySelectorAll('a[href]')].map(a => absolute(a.getAttribute('href'))),
        actions: [...document.querySelectorAll('form[action]')].map(
            f => absolute(f.getAttribute('action'))),
    };
}"""

# The first form in <main> that refuses empty input. POST_EMPTY clears its fields and posts it
# with the browser's own checks switched off, so that the server's messages come back; it
# answers the URL the form posts to.
FIRST_REQUIRED_FORM = """[...document.querySelectorAll('main form')].find(f =>
    (f.getAttribute('method') || '').toLowerCase() === 'post' && f.querySelector('[required]'))"""
HAS_REQUIRED_FORM = f"() => Boolean({FIRST_REQUIRED_FORM})"
POST_EMPTY = (
    """() => {
    const form = """
    + FIRST_REQUIRED_FORM
    + """;
    for (const el of form.elements) {
        if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
        if (el.type === 'checkbox' || el.type === 'radio') { el.checked = false; continue; }
        if (el.tagName === 'SELECT') {
            const empty = [...el.options].findIndex(o => o.value === '');
            if (empty >= 0) el.selectedIndex = empty;
            continue;
        }
        if (el.type !== 'file') el.value = '';
    }
    form.setAttribute('novalidate', '');
    const target = new URL(form.getAttribute('action') || '', document.baseURI).href;
    HTMLFormElement.prototype.requestSubmit.call(form);
    return target;
}"""
)


def _audit_form_errors(page: Page, audit: Audit, who: str, label: str, name: str) -> None:
    """Post the page's form empty once per view and audit the page that shows the errors."""
    if name in audit.forms_audited or not page.evaluate(HAS_REQUIRED_FORM):
        return
    audit.forms_audited.add(name)
    url = page.url
    with page.expect_navigation():
        target = page.evaluate(POST_EMPTY)
    if _view_name(page.url, audit.base_url) != _view_name(target, audit.base_url):
        audit.problems.append(f"{label} ({who}): an empty form was accepted (went to {page.url})")
    else:
        _run_axe(page, audit, who, f"{label} – mit Fehlermeldungen")
    page.goto(url)


def _log_in(context: BrowserContext, base_url: str, username: str, password: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base_url, username, password)
    assert "/anmelden/" not in page.url, f"{username} could not log in"
    return page


def _audit_second_factor(browser: Browser, audit: Audit) -> None:
    """The login's second step, which the demo accounts skip: set up the app, then enter a code."""
    who = "second factor"
    person = UserFactory(
        role=Role.CASEWORKER, asd_team=User.objects.get(username="asd-nord").asd_team
    )
    for step in ("two_factor_setup", "two_factor_verify"):
        if step == "two_factor_verify":
            totp_device(person)
        context = browser.new_context(locale="de-DE", bypass_csp=True)
        try:
            page = _log_in(context, audit.base_url, person.username, FACTORY_PASSWORD)
            assert _view_name(page.url, audit.base_url) == step, page.url
            label = urlsplit(page.url).path
            _run_axe(page, audit, who, label)
            _audit_form_errors(page, audit, who, label, step)
        finally:
            context.close()


def _project_page(user: User) -> str:
    project = Case.objects.exclude(kind=CaseKind.INDIVIDUAL).filter(
        sozialraum__asd_team=user.asd_team_id
    )
    return reverse("cases:detail", args=[project.earliest("pk").pk])


def _own_offer_page(user: User) -> str:
    offer = Offer.objects.filter(provider_id=user.provider_id).earliest("pk")
    return reverse("network:offer_detail", args=[offer.pk])


def _case_page_of_correctable(user: User, records) -> str:
    """The case page of the first record the user may correct (it shows "Berichtigen")."""
    for record in records.filter(case__in=cases_visible_to(user)).select_related("case"):
        if correction_refusal_for(user, record) is None:
            return reverse("cases:detail", args=[record.case_id])
    raise LookupError(f"{user.username} may correct none of these records")


def _held_review_page(user: User) -> str:
    return _case_page_of_correctable(
        user, HelpPlanReview.objects.filter(held_on__isnull=False).order_by("pk")
    )


def _risk_assessment_page(user: User) -> str:
    return _case_page_of_correctable(user, RiskAssessment.objects.order_by("pk"))


def _closed_case_page(user: User) -> str:
    closed = cases_visible_to(user).filter(status=CaseStatus.CLOSED).order_by("pk")
    case = next(case for case in closed if can_reopen_case(user, case))
    return reverse("cases:detail", args=[case.pk])


def _ended_help_plan_page(user: User) -> str:
    """The help plan of an ended help the user may change: it offers "Abschlussgespräch
    erfassen"."""
    ended = Help.objects.filter(case__in=cases_visible_to(user), ended_on__isnull=False)
    help_ = next(
        h for h in ended.select_related("case").order_by("pk") if can_change_case(user, h.case)
    )
    return reverse("cases:help_plan", args=[help_.case_id, help_.pk])


def _agreement_to_correct_page(user: User) -> str:
    agreements = ConferenceAgreement.objects.filter(
        conference__in=conferences_visible_to(user)
    ).select_related("conference__sozialraum", "conference__region")
    agreement = next(
        a for a in agreements.order_by("pk") if agreement_correction_refusal(user, a) is None
    )
    return reverse("network:conference_detail", args=[agreement.conference_id])


def _open_agreement_page(user: User) -> str:
    """A conference with an open agreement: it offers the office roles "Als erledigt markieren"
    (provider staff and the ASD see their own open agreements on their start page)."""
    agreement = ConferenceAgreement.objects.filter(
        conference__in=conferences_visible_to(user), done_on__isnull=True
    ).earliest("pk")
    return reverse("network:conference_detail", args=[agreement.conference_id])


def _documents_page(user: User) -> str:
    """Provider staff: the shared documents of their assignment that has some. ASD: the
    documents page of a running case the user may change that has documents (the team lead's
    with the move waiting for confirmation), which links upload, share, delete, hand-over and
    move (documents/demo_documents.py)."""
    from documents.models import CaseMove, MoveStatus
    from documents.selectors import documents_visible_to

    visible = documents_visible_to(user)
    if user.effective_role == Role.PROVIDER_STAFF:
        document = visible.filter(shares__assignment__provider_id=user.provider_id).earliest("pk")
        share = document.shares.filter(assignment__provider_id=user.provider_id).earliest("pk")
        return reverse("documents:assignment_documents", args=[share.assignment_id])
    cases = Case.objects.filter(
        pk__in=visible.values("case_id"), status=CaseStatus.RUNNING
    ).order_by("pk")
    open_moves = CaseMove.objects.filter(status=MoveStatus.PROPOSED).values("case_id")
    case = next(c for c in [*cases.filter(pk__in=open_moves), *cases] if can_change_case(user, c))
    return reverse("documents:case_documents", args=[case.pk])


def _statement_original_page(user: User) -> str:
    """A Leistungsnachweis with its signed original: the provider's detail page, or the team
    lead's check page, each linking the download (billing/demo.py stores no PDFs)."""
    from django.core.files.base import ContentFile

    from billing.selectors import statements_of_provider, statements_to_check
    from billing.storage import statement_storage

    if user.effective_role == Role.PROVIDER_STAFF:
        statement = statements_of_provider(user).earliest("pk")
        url = reverse("billing:statement_detail", args=[statement.pk])
    else:
        statement = statements_to_check(user).earliest("pk")
        url = reverse("billing:check_detail", args=[statement.pk])
    if not statement.document:
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        statement.document = statement_storage().save("nachweise/crawl.pdf", ContentFile(pdf))
        statement.document_name = "nachweis.pdf"
        statement.save(update_fields=["document", "document_name"])
    return url


def _payment_run_page(user: User) -> str:
    """The payment runs' list, with one run in it (the demo's approved Leistungsnachweise, or
    three orders of its own where the demo has none yet: billing/demo_payment_runs.py)."""
    from billing.demo_payment_runs import payment_runs_demo_build

    payment_runs_demo_build()
    return reverse("billing:payment_run_list")


def _instance_export_page(user: User) -> str:
    """An unencrypted instance export of the demo, requested (and, without a broker, written)
    by the administrator: its status page and its download."""
    from exchange.services import export_request

    export = export_request(user=user, public_key="", unencrypted=True)
    return reverse("exchange:detail", args=[export.public_id])


def _kjh_delivery_page(user: User) -> str:
    """A delivery file of the KJH statistics (Teil I, last year), requested by the planner and,
    without a broker, built at once: its status page and its download."""
    from kjhstat.services import delivery_request

    delivery = delivery_request(user=user, survey_key="teil1", year=datetime.date.today().year - 1)
    return reverse("kjhstat:delivery", args=[delivery.public_id])


# Views the first pages of a view do not lead to, and a page of demo objects that does: the
# first case a caseworker opens is a family's, the edit page of a project hangs on a project,
# a correction link shows only beside a record the user may correct.
# Opened after the crawl's first round, for the roles that reach the view; audited too.
def _meeting_held_page(user: User) -> str:
    """A meeting of the team lead's region held today, its minutes still open: its page offers
    "Protokoll abschließen" (the demo's meetings are either closed or still to come)."""
    from meetings import services as meeting_services

    meeting = meeting_services.meeting_plan(
        user=user, sozialraum=None, date=datetime.date.today(), place="Raum 1"
    )
    meeting_services.meeting_hold(user=user, meeting=meeting)
    return reverse("meetings:detail", args=[meeting.pk])


def _conference_open_page(user: User) -> str:
    """The Familienrat page of a case the user may change, with a plan not yet agreed: it
    offers "Bearbeiten" (the demo's one Familienrat is agreed)."""
    from meetings import services as meeting_services

    cases = cases_visible_to(user).filter(kind=CaseKind.INDIVIDUAL, status=CaseStatus.RUNNING)
    case = next(c for c in cases.order_by("pk") if can_change_case(user, c))
    meeting_services.conference_save(
        user=user,
        case=case,
        data={"coordinator_name": "Birgit Sommer", "coordinator_organisation": "Familienrat-Büro"},
    )
    return reverse("meetings:conferences", args=[case.pk])


def _letters_page(user: User) -> str:
    """The letters of a case the user sees with a letter sent (documents/demo_letters.py): it
    links the download of the stored PDF."""
    from documents.models import SentLetter

    letter = SentLetter.objects.filter(case__in=cases_visible_to(user)).earliest("pk")
    return reverse("documents:case_letters", args=[letter.case_id])


def _letter_batch_page(user: User) -> str:
    """A finished batch of one invitation with its combined PDF (runs eagerly in the tests)."""
    from cases.selectors import open_reviews
    from documents.letters import letter_batch_request

    reviews = open_reviews().filter(case__in=cases_visible_to(user)).order_by("pk")
    review = next(r for r in reviews.select_related("case") if can_change_case(user, r.case))
    batch = letter_batch_request(user=user, reviews=[review], with_combined=True)
    return reverse("documents:letter_batch", args=[batch.pk])


def _closed_minutes_page(user: User) -> str:
    """A meeting with closed minutes the user may read: it links the minutes PDF."""
    from meetings.selectors import meetings_visible_to, minutes_refusal

    closed = meetings_visible_to(user).filter(minutes_closed_at__isnull=False).order_by("pk")
    meeting = next(m for m in closed if not minutes_refusal(user, m))
    return reverse("meetings:detail", args=[meeting.pk])


def _proposal_to_confirm_page(user: User) -> str:
    """A case with a Sozialraumteam proposal the user may confirm: it shows the button."""
    from cases.models import AllocationProposal
    from cases.proposals import can_confirm_proposal

    proposals = AllocationProposal.objects.filter(
        case__in=cases_visible_to(user), confirmed_at__isnull=True
    ).order_by("pk")
    proposal = next(p for p in proposals if can_confirm_proposal(user, p))
    return reverse("cases:detail", args=[proposal.case_id])


def _changeable(user: User, candidates, for_user) -> int:
    """The first of `candidates` (ids) the user may change through `for_user`."""
    for pk in candidates:
        try:
            for_user(user, pk, for_change=True)
        except (Http404, PermissionDenied):
            continue
        return pk
    raise AssertionError(f"the demo town has nothing for {user.username} here")


def _open_assessment_page(user: User) -> str:
    """A § 8a assessment without a result that the user may conclude: it links the result."""
    open_ids = RiskAssessment.objects.filter(level="", case__in=cases_visible_to(user))
    pk = _changeable(
        user, open_ids.order_by("pk").values_list("pk", flat=True), risk_assessment_for_user
    )
    return reverse("cases:risk_detail", args=[pk])


def _running_custody_page(user: User) -> str:
    """An Inobhutnahme still running that the user may end: it links the end."""
    from cases.models import ProtectionMeasure
    from cases.selectors_custody import custody_for_user

    running = ProtectionMeasure.objects.filter(
        ended_on__isnull=True, case__in=cases_visible_to(user)
    ).order_by("pk")
    pk = _changeable(user, running.values_list("pk", flat=True), custody_for_user)
    return reverse("cases:custody_detail", args=[pk])


def _api_client_created_page(user: User) -> str:
    """The page a new API client's token is shown on (reached by the redirect after creating
    one); for the demo's client the token was shown already, so it says so."""
    from api.models import ApiClient

    client = ApiClient.objects.order_by("pk").first()
    assert client is not None, "the demo town has no API client"
    return reverse("api:created", args=[client.pk])


def _contribution_of(user: User):
    """A cost contribution the user may change (contributions/demo.py gives one per region)."""
    from contributions.models import CostContribution
    from contributions.selectors import contribution_for_user

    ids = CostContribution.objects.filter(help__case__in=cases_visible_to(user)).order_by("pk")
    pk = _changeable(
        user,
        ids.values_list("pk", flat=True),
        lambda u, pk, for_change: contribution_for_user(u, pk, for_change=for_change),
    )
    return CostContribution.objects.select_related("help").get(pk=pk)


def _contribution_page(user: User) -> str:
    """A contribution with an open claim: it links the notice, the receipt and the waiver."""
    return reverse("contributions:detail", args=[_contribution_of(user).pk])


def _help_contributions_page(user: User) -> str:
    """The contributions of a placement help: it links the income evidence and a new one."""
    help_ = _contribution_of(user).help
    return reverse("contributions:help", args=[help_.case_id, help_.pk])


def _claim_lookup_page(user: User) -> str:
    """The help search's result for a new reimbursement claim (the number is posted, the result
    shown by the case's id), for a case with a help the user may claim for: it lists the help
    with its "Anspruch anlegen" link."""
    from reimbursements.selectors import helps_of_case

    cases = Case.objects.filter(helps__help_type__is_placement=True).order_by("pk")
    case_id = next(pk for pk in cases.values_list("pk", flat=True) if helps_of_case(user, pk))
    return f"{reverse('reimbursements:help_lookup')}?{urlencode({'fall': case_id})}"


OBJECT_PAGES: dict[str, Callable[[User], str]] = {
    "contributions:detail": _contribution_page,
    "contributions:help": _help_contributions_page,
    "reimbursements:claim_create": _claim_lookup_page,
    "api:created": _api_client_created_page,
    "cases:risk_conclude": _open_assessment_page,
    "cases:custody_end": _running_custody_page,
    "meetings:minutes_pdf": _closed_minutes_page,
    "cases:proposal_confirm": _proposal_to_confirm_page,
    "cases:project_edit": _project_page,
    "network:offer_update": _own_offer_page,
    "cases:review_correct": _held_review_page,
    "cases:risk_correct": _risk_assessment_page,
    "cases:reopen": _closed_case_page,
    "cases:review_closing": _ended_help_plan_page,
    "network:agreement_correct": _agreement_to_correct_page,
    "network:agreement_done": _open_agreement_page,
    "documents:download": _documents_page,
    "documents:upload": _documents_page,
    "documents:share": _documents_page,
    "documents:remove": _documents_page,
    "documents:handover": _documents_page,
    "documents:move": _documents_page,
    "documents:move_decide": _documents_page,
    "billing:payment_run_detail": _payment_run_page,
    "billing:statement_document": _statement_original_page,
    "meetings:minutes_close": _meeting_held_page,
    "meetings:conference_edit": _conference_open_page,
    "documents:letter_download": _letters_page,
    "documents:letter_batch": _letter_batch_page,
    "documents:letter_batch_download": _letter_batch_page,
    "exchange:detail": _instance_export_page,
    "kjhstat:delivery": _kjh_delivery_page,
    "kjhstat:download": _kjh_delivery_page,
}

# Views whose role check admits a role that the view's own rule then refuses on every object:
# no page of that role links to them, so the crawl does not expect to reach them (it still
# follows a link to them, should one appear).
NEVER_LINKED_FOR_ROLE: dict[str, dict[str, str]] = {
    "cases:assignment_note_correct": {
        # The view admits the ASD only to answer with the reason: provider staff correct their
        # own entries on their assignment, the ASD corrects in the case file (note_correct).
        Role.CASEWORKER: "Der ASD berichtigt Einträge in der Fallakte.",
        Role.TEAM_LEAD: "Der ASD berichtigt Einträge in der Fallakte.",
    },
    "cases:reopen": {
        # can_reopen_case: only the team lead of the case's region reopens a closed case.
        Role.CASEWORKER: "Einen beendeten Fall öffnet die Teamleitung der Region wieder.",
    },
}

# Pages beyond the first of each view that the crawl may open to find views no link on the
# first pages leads to (the first case may be a family's, the project's edit page hangs on a
# project). They are audited too.
EXTRA_PAGES_PER_ROLE = 20


class Crawl:
    """One role's walk through the portal: each view once, then further objects if needed."""

    def __init__(self, page: Page, audit: Audit, who: str, routes: list[Route]):
        self.page, self.audit, self.who = page, audit, who
        user = User.objects.filter(username=ACCOUNTS.get(who, "")).first()
        # Open views (no role check) count for everyone: logged in, they show or redirect.
        self.reachable = {r.name for r in routes if r.roles is None or who in r.roles}
        # What must be reached: all the role may open, less what it never gets a link to.
        self.required = {
            name for name in self.reachable if who not in NEVER_LINKED_FOR_ROLE.get(name, {})
        }
        self.first: deque[str] = deque(
            f"{audit.base_url}{reverse(r.name)}"
            for r in routes
            if r.name in self.reachable and not r.has_params
        )
        # URLs that may belong to POST-only views: from the URL configuration and form targets.
        self.unsure: set[str] = set(self.first)
        self.more: dict[str, deque[str]] = {}  # view name → further URLs found for it
        self.visits: dict[str, int] = {}
        self.done: set[str] = set()  # view names audited or found to be no page
        self.opened: set[str] = set()
        self.came_from: dict[str, str] = {}  # URL → the page that linked to it first
        self.seeds: deque[str] = deque(
            f"{audit.base_url}{page_of(user)}"
            for name, page_of in OBJECT_PAGES.items()
            if name in self.required and user is not None
        )

    def run(self) -> None:
        extra = 0
        while True:
            if self.first:
                url, further = self.first.popleft(), False
            elif self.seeds:
                url, further = self.seeds.popleft(), True
            elif self.missing() and extra < EXTRA_PAGES_PER_ROLE and (url := self._next_more()):
                extra, further = extra + 1, True
            else:
                break
            self._visit(url, further=further)
        if missing := self.missing():
            self.audit.problems.append(
                f"{self.who}: no link leads to {', '.join(missing)}; "
                "link the page or add a page that links to it to OBJECT_PAGES"
            )

    def missing(self) -> list[str]:
        return sorted(self.required - self.done)

    def _next_more(self) -> str | None:
        """A further URL of the view opened least often so far."""
        for name in sorted(self.more, key=lambda name: self.visits.get(name, 0)):
            while self.more[name]:
                url = self.more[name].popleft()
                if url not in self.opened:
                    return url
        return None

    def _visit(self, url: str, *, further: bool) -> None:
        base = self.audit.base_url
        name = _view_name(url, base)
        if url in self.opened or name is None or (name in self.done and not further):
            return
        self.opened.add(url)
        self.visits[name] = self.visits.get(name, 0) + 1
        self.done.add(name)
        if url in self.unsure and not _is_page(self.page, url):
            return  # a POST-only view: no page to audit
        status = _open(self.page, url)
        if status is None or status == 405:
            return  # a download or a POST-only view: no page to audit
        if status != 200:
            came_from = self.came_from.get(url, "the URL configuration")
            self.audit.problems.append(
                f"{url} ({self.who}, linked from {came_from}): HTTP {status}"
            )
            return
        landed = _view_name(self.page.url, base) or self.page.url
        if landed != name and landed in self.done:
            return  # a redirect to a page audited already
        self.done.add(landed)
        label = urlsplit(self.page.url).path
        _run_axe(self.page, self.audit, self.who, label)
        _check_reflow(self.page, self.audit, self.who, label)
        found = self.page.evaluate(LINKS)
        self.unsure.update(found["actions"])
        for link in [*found["links"], *found["actions"]]:
            link_name = _view_name(link, base)
            if link_name not in self.reachable or link in self.opened:
                continue
            self.came_from.setdefault(link, label)
            if link_name in self.done:
                self.more.setdefault(link_name, deque()).append(link)
            else:
                self.first.append(link)
        _audit_form_errors(self.page, self.audit, self.who, label, landed)


def _deputyship_running() -> None:
    """The caseworker away, the team lead covering: the deputies page offers the form that ends
    it, and the team lead's start page shows "In Vertretung für …"."""
    absent = User.objects.get(username=ACCOUNTS[Role.CASEWORKER])
    today = datetime.date.today()
    Deputy.objects.create(
        absent=absent,
        deputy=User.objects.get(username=ACCOUNTS[Role.TEAM_LEAD]),
        starts_on=today,
        ends_on=today + datetime.timedelta(days=14),
        set_by=absent,
    )


def _records_to_correct_and_close() -> None:
    """What the demo town lacks for the pages of corrections and of the closing review: an ended
    help of the caseworker's case (its open review cancelled; its help plan offers
    "Abschlussgespräch erfassen" to the caseworker and the team lead), and conference
    agreements recorded today by the caseworker, the planner and the administrator (each may
    correct their own within the correction period; the demo's agreements have no author, so
    only the team lead corrects them)."""
    caseworker = User.objects.get(username=ACCOUNTS[Role.CASEWORKER])
    provider_staff = User.objects.get(username=ACCOUNTS[Role.PROVIDER_STAFF])
    # Not a help the provider staff's account works on: its notes stay correctable.
    help_ = (
        Help.objects.filter(case__steering_caseworker=caseworker, ended_on__isnull=True)
        .exclude(assignments__provider_id=provider_staff.provider_id)
        .earliest("pk")
    )
    help_end(user=caseworker, help_=help_, ended_on=datetime.date.today())
    conference = Conference.objects.filter(
        agreements__isnull=False, sozialraum__region=caseworker.asd_team.region_id
    ).earliest("pk")
    for role in (Role.CASEWORKER, Role.PLANNER, Role.ADMIN):
        author = User.objects.get(username=ACCOUNTS[role])
        agreement_add(
            conference=conference,
            text=f"Elternabend vorbereiten ({author.get_full_name()})",
            owner=author,
            due_on=datetime.date.today() + datetime.timedelta(days=30),
            user=author,
        )


def test_every_page_of_every_role_passes_axe(live_server, browser, axe_source, tasks_in_process):
    call_command("demo_town", verbosity=0)
    _deputyship_running()
    _records_to_correct_and_close()
    routes = _routes()
    audit = Audit(axe_source=axe_source, base_url=live_server.url)
    assert set(ACCOUNTS) == set(Role.values), "every role needs a demo account in ACCOUNTS"
    for who in (ANONYMOUS, *ACCOUNTS):
        # bypass_csp: axe is injected as a script tag, which a Content-Security-Policy forbids.
        context = browser.new_context(locale="de-DE", bypass_csp=True)
        try:
            if who == ANONYMOUS:
                page = context.new_page()
                page.set_default_timeout(15_000)
            else:
                page = _log_in(context, live_server.url, ACCOUNTS[who], DEMO_PASSWORD)
            Crawl(page, audit, str(who), routes).run()
        finally:
            context.close()
    _audit_second_factor(browser, audit)
    print(f"\n{len(audit.audited)} pages audited:\n  " + "\n  ".join(audit.audited))
    if audit.warnings:
        print("Links to pages that refuse the role:\n  " + "\n  ".join(audit.warnings))
    failures = [*audit.problems]
    if audit.violations:
        failures.append(f"{len(audit.violations)} axe violations (tags {', '.join(WCAG_TAGS)}):")
        failures.extend(v.line() for v in audit.violations)
    assert not failures, "\n".join(failures)
