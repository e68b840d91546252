"""The house rules a reader relies on, read from the source (docs/architecture.md, STYLE.md).

Every module of the apps is parsed with `ast`, so that an import, a `mark_safe` or a signal
receiver added anywhere fails here, whatever its spelling. The last tests feed the same checks
small pieces of code that break each rule, so a check that stops seeing anything fails too.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "portal",
    "accounts",
    "overview",
    "reports",
    "privacy",
    "exchange",
    "api",
    "kjhstat",
    "billing",
    "meetings",
    "contributions",
    "reimbursements",
    "budgets",
    "documents",
    "cases",
    "network",
    "corrections",
    "sozialraum",
)

# The speed machinery of issue 17, replaced by querysets, templates, {% url %}, Django's own
# RedisCache and cache, and django-otp's public API. None of it comes back under its old name.
REMOVED_MODULES = (
    "sozialraum.prepared",
    "sozialraum.frame",
    "sozialraum.rows",
    "sozialraum.links",
    "sozialraum.widgets",
    "sozialraum.redis_cache",
    "sozialraum.figures_cache",
    "sozialraum.templatetags.frame",
    "sozialraum.templatetags.plain_fields",
)
REMOVED_TEMPLATE_LIBRARIES = {"frame", "plain_fields"}
REMOVED_TEMPLATE_FILTERS = ("url_of", "plain_field")

# Signals carry no business step. The receivers that exist do plumbing, each named here:
# the login's session stamps, and the ledger guard's SQL function on every SQLite connection.
ALLOWED_RECEIVERS = {
    ("accounts/security.py", "user_logged_in"),
    ("budgets/apps.py", "connection_created"),
}
DJANGO_SIGNALS = {
    "pre_init",
    "post_init",
    "pre_save",
    "post_save",
    "pre_delete",
    "post_delete",
    "m2m_changed",
    "pre_migrate",
    "post_migrate",
    "class_prepared",
    "request_started",
    "request_finished",
    "got_request_exception",
    "setting_changed",
    "user_logged_in",
    "user_logged_out",
    "user_login_failed",
    "connection_created",
}


def app_modules() -> Iterator[Path]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def template_files() -> Iterator[Path]:
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    for folder in folders:
        yield from sorted(folder.rglob("*.html")) if folder.is_dir() else ()


def _dotted(node: ast.AST) -> str:
    """`a.b.c` for a chain of attributes on a name, else ''."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _imported(tree: ast.AST) -> Iterator[tuple[ast.stmt, str, str, str]]:
    """(node, module, imported name or '', local name) for every import."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, "", alias.asname or alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                yield node, node.module, alias.name, alias.asname or alias.name


# --- The checks: each returns its findings as "path:line: what" -----------------------------


def forbidden_imports(tree: ast.AST, where: str) -> list[str]:
    found = []
    for node, module, name, _local in _imported(tree):
        full = f"{module}.{name}" if name else module
        if full == "django.db.models.sql" or full.startswith("django.db.models.sql."):
            found.append(f"{where}:{node.lineno}: imports Django's SQL compiler ({full})")
        if module.split(".")[0] == "django_otp" and any(
            _is_private(part) for part in full.split(".")
        ):
            found.append(f"{where}:{node.lineno}: imports django-otp's private {full}")
        for removed in REMOVED_MODULES:
            if full == removed or full.startswith(removed + "."):
                found.append(f"{where}:{node.lineno}: imports the removed {removed}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _dotted(node).endswith("models.sql"):
            found.append(f"{where}:{node.lineno}: reaches Django's SQL compiler ({_dotted(node)})")
    return found


def django_otp_private_use(tree: ast.AST, where: str) -> list[str]:
    """Private attributes of anything imported from django-otp, read, called or overridden."""
    otp_names = {
        local
        for _node, module, _name, local in _imported(tree)
        if module.split(".")[0] == "django_otp"
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain = _dotted(node).split(".")
            if chain[0] in otp_names and any(_is_private(part) for part in chain[1:]):
                found.append(f"{where}:{node.lineno}: uses django-otp's private {_dotted(node)}")
        elif isinstance(node, ast.ClassDef):
            bases = {_dotted(base).split(".")[0] for base in node.bases}
            if not bases & otp_names:
                continue
            for item in ast.walk(node):
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _is_private(
                    item.name
                ):
                    found.append(
                        f"{where}:{item.lineno}: {node.name} overrides django-otp's private "
                        f"{item.name}"
                    )
                if (
                    isinstance(item, ast.Attribute)
                    and _is_private(item.attr)
                    and isinstance(item.value, ast.Call)
                    and _dotted(item.value.func) == "super"
                ):
                    found.append(f"{where}:{item.lineno}: calls django-otp's private {item.attr}")
    return found


def _registers_filter(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _dotted(target).endswith(".filter"):
            return True
    return False


def html_marked_safe(tree: ast.AST, where: str) -> list[str]:
    """`mark_safe` (or a SafeString built by hand) outside a template filter of a templatetags
    module: HTML is written in templates; a filter that must mark its output escapes its input,
    and its docstring says how."""
    in_filter: set[int] = set()
    if "/templatetags/" in f"/{where}":
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _registers_filter(node):
                in_filter |= {id(inner) for inner in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in in_filter:
            continue
        name = _dotted(node.func).rsplit(".", 1)[-1]
        if name in {"mark_safe", "SafeString", "SafeText"}:
            found.append(f"{where}:{node.lineno}: {name}() outside a template filter")
    return found


def signal_receivers(tree: ast.AST, where: str) -> list[str]:
    """Signals defined, and receivers connected, other than the ALLOWED_RECEIVERS."""
    from_signal_modules = {
        local for _node, module, _name, local in _imported(tree) if "signals" in module
    }
    found = []

    def check(signal: ast.AST, line: int) -> None:
        name = _dotted(signal).rsplit(".", 1)[-1] or ast.unparse(signal)
        if (where, name) not in ALLOWED_RECEIVERS:
            found.append(f"{where}:{line}: a receiver of {name}")

    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and _dotted(decorator.func).endswith("receiver"):
                    signals = decorator.args[0] if decorator.args else decorator
                    for signal in getattr(signals, "elts", [signals]):
                        check(signal, node.lineno)
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name.rsplit(".", 1)[-1] == "Signal":
                found.append(f"{where}:{node.lineno}: defines a signal")
            elif name.endswith(".connect"):
                chain = name.split(".")[:-1]
                if chain[-1] in DJANGO_SIGNALS or chain[0] in from_signal_modules:
                    check(node.func.value, node.lineno)  # type: ignore[attr-defined]
    return found


def private_names_across_modules(tree: ast.AST, where: str) -> list[str]:
    """A name with a leading underscore of another module of the apps, imported or read
    through the module: what a module keeps private may change without its callers knowing.
    What others need is public, with a docstring that says how to use it."""
    # Modules (and functions) go by lower-case names; a model's `_meta` is Django's public API.
    modules = {
        local
        for _node, module, _name, local in _imported(tree)
        if module.split(".")[0] in APPS and local[:1].islower()
    }
    found = []
    for node, module, name, _local in _imported(tree):
        if module.split(".")[0] in APPS and _is_private(name):
            found.append(f"{where}:{node.lineno}: imports the private {module}.{name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            chain = _dotted(node).split(".")
            if chain[0] in modules and not any(_is_private(part) for part in chain[1:-1]):
                found.append(f"{where}:{node.lineno}: reads the private {_dotted(node)}")
    return found


CHECKS = (
    forbidden_imports,
    django_otp_private_use,
    html_marked_safe,
    signal_receivers,
    private_names_across_modules,
)


def _findings(check) -> list[str]:
    found = []
    for path in app_modules():
        where = path.relative_to(ROOT).as_posix()
        found += check(ast.parse(path.read_text(encoding="utf-8"), str(path)), where)
    return found


# --- The apps ----------------------------------------------------------------------------------


def test_the_apps_are_all_read():
    read = {path.relative_to(ROOT).parts[0] for path in app_modules()}
    assert read == set(APPS)
    assert ROOT / "accounts" / "middleware.py" in set(app_modules())


def test_no_module_imports_the_sql_compiler_private_otp_names_or_removed_modules():
    assert _findings(forbidden_imports) == []


def test_no_module_reaches_into_django_otp_privately():
    assert _findings(django_otp_private_use) == []


def test_html_is_marked_safe_only_by_template_filters():
    assert _findings(html_marked_safe) == []


def test_no_module_uses_another_modules_private_names():
    assert _findings(private_names_across_modules) == []


def test_no_signal_carries_a_business_step():
    assert _findings(signal_receivers) == []
    # The allowed receivers still exist: otherwise the list above names something gone.
    for where, signal in ALLOWED_RECEIVERS:
        assert signal in (ROOT / where).read_text(encoding="utf-8"), (where, signal)


def test_the_removed_modules_stay_removed():
    for module in REMOVED_MODULES:
        path = ROOT.joinpath(*module.split("."))
        assert not path.with_suffix(".py").exists() and not path.is_dir(), module


def test_templates_use_no_removed_tag_library_or_filter():
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for libraries in re.findall(r"{%\s*load\s+(.*?)\s*%}", text):
            names = set(libraries.split()) - {"from"}
            if names & REMOVED_TEMPLATE_LIBRARIES:
                found.append(
                    f"{path.relative_to(ROOT)}: loads {names & REMOVED_TEMPLATE_LIBRARIES}"
                )
        for name in REMOVED_TEMPLATE_FILTERS:
            if re.search(rf"\|\s*{name}\b", text):
                found.append(f"{path.relative_to(ROOT)}: uses |{name}")
    assert found == []


def test_settings_use_the_public_cache_and_second_factor_machinery():
    assert "django_otp.middleware.OTPMiddleware" in settings.MIDDLEWARE
    assert not hasattr(settings, "PREPARED_QUERY_CHECK")
    for cache in settings.CACHES.values():
        assert cache["BACKEND"].startswith("django.core.cache.backends."), cache


# --- The checks see what they should --------------------------------------------------------

BROKEN = {
    forbidden_imports: [
        "from django.db.models.sql import Query",
        "import django.db.models.sql.compiler",
        "from django.db.models import sql",
        "from django.db import models\nq = models.sql.Query",
        "from django_otp.middleware import _device_from_persistent_id",
        "from django_otp._private import x",
        "from sozialraum.prepared import PreparedQuery",
        "from sozialraum import figures_cache",
        "import sozialraum.links",
        "from sozialraum.templatetags.frame import register",
    ],
    django_otp_private_use: [
        "from django_otp.middleware import OTPMiddleware\nOTPMiddleware._verify_user",
        "import django_otp\ndjango_otp.middleware._normalize_persistent_id('x')",
        "from django_otp.middleware import OTPMiddleware as M\n"
        "class A(M):\n    def _device_from_persistent_id(self, pid): ...",
        "from django_otp.middleware import OTPMiddleware\n"
        "class A(OTPMiddleware):\n    def get(self):\n        return super()._verify_user(1, 2)",
    ],
    html_marked_safe: [
        "from django.utils.safestring import mark_safe\ndef row(x):\n    return mark_safe(x)",
        "from django.utils import safestring\nhtml = safestring.mark_safe('<b>')",
        "from django.utils.safestring import SafeString\nhtml = SafeString('<b>')",
    ],
    private_names_across_modules: [
        "from budgets.services import _entry_book",
        "from cases.forms import HelpDecisionForm, _helper",
        "from budgets import services\nservices._budgets_lock(1)",
        "import budgets.services\nbudgets.services._entry_book(budget=b)",
    ],
    signal_receivers: [
        "from django.db.models.signals import post_save\n"
        "@receiver(post_save, sender=Assignment)\ndef book(sender, **kwargs): ...",
        "from django.db.models.signals import post_save\npost_save.connect(book, sender=A)",
        "from django.db.models import signals\nsignals.m2m_changed.connect(book)",
        "from django.dispatch import Signal\ncommissioned = Signal()",
        "@receiver([pre_save, post_delete])\ndef bump(sender, **kwargs): ...",
    ],
}


@pytest.mark.parametrize(
    ("check", "source"),
    [(check, source) for check, sources in BROKEN.items() for source in sources],
    ids=lambda value: getattr(value, "__name__", None) or value.splitlines()[-1][:40],
)
def test_each_check_finds_what_breaks_its_rule(check, source):
    assert check(ast.parse(source), "cases/services.py") != []


def test_the_checks_allow_what_the_house_rules_allow():
    escaping_filter = (
        "from django.utils.html import escape\n"
        "@register.filter\ndef marked(value):\n    return mark_safe(escape(value))"
    )
    assert html_marked_safe(ast.parse(escaping_filter), "cases/templatetags/x.py") == []
    assert html_marked_safe(ast.parse(escaping_filter), "cases/views.py") != []
    tag = escaping_filter.replace("@register.filter", "@register.simple_tag")
    assert html_marked_safe(ast.parse(tag), "cases/templatetags/x.py") != []
    login_stamp = "@receiver(user_logged_in)\ndef stamp(sender, **kwargs): ..."
    assert signal_receivers(ast.parse(login_stamp), "accounts/security.py") == []
    assert signal_receivers(ast.parse(login_stamp), "cases/services.py") != []
    public = (
        "from django_otp import DEVICE_ID_SESSION_KEY, login\n"
        "from django_otp.middleware import OTPMiddleware\n"
        "class A(OTPMiddleware):\n    def __init__(self, r):\n        super().__init__(r)"
    )
    for check in CHECKS:
        assert check(ast.parse(public), "accounts/middleware.py") == []
    own_and_django = (
        "from budgets.services import budgets_lock, entry_book\n"
        "from cases.models import Case\n"
        "def _local(): ...\n"
        "fields = Case._meta.get_fields()\n_local()\nfrom django.db import connection\n"
        "connection._private_for_django_only = 1"
    )
    assert private_names_across_modules(ast.parse(own_and_django), "budgets/views.py") == []
