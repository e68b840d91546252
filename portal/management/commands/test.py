import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

# import-linter ships a console script only; this runs it with the same interpreter.
LINT_IMPORTS = "from importlinter.cli import lint_imports_command as c; c()"

# The static checks CI runs before the suite, in this order; the first that fails stops the run.
# mypy reads its settings (django-stubs, the apps to check) from pyproject.toml, import-linter
# its layers contract (docs/architecture.md).
CHECKS = [
    ("ruff check", ["-m", "ruff", "check", "."]),
    ("ruff format --check", ["-m", "ruff", "format", "--check", "."]),
    ("mypy", ["-m", "mypy"]),
    ("lint-imports", ["-c", LINT_IMPORTS]),
]


class Command(BaseCommand):
    help = (
        "Prüft den Code (ruff, mypy, Import-Regeln) und führt die ganze Testsuite mit pytest aus."
    )

    def add_arguments(self, parser):
        parser.add_argument("pytest_args", nargs="*", help="weitere Argumente für pytest")
        parser.add_argument("--no-lint", action="store_true", help="ruff überspringen")

    # Django's own test runner is replaced: pytest runs the suite (pytest-django).
    def run_from_argv(self, argv):
        # Pass everything after "test" straight to pytest, including options like -k or -x.
        args = argv[2:]
        lint = "--no-lint" not in args
        args = [arg for arg in args if arg != "--no-lint"]
        root = str(settings.BASE_DIR)
        if lint:
            for title, command in CHECKS:
                print(f"== {title}", flush=True)
                if subprocess.call([sys.executable, *command], cwd=root) != 0:
                    sys.exit(1)
        print("== pytest", flush=True)
        pytest = [sys.executable, "-m", "pytest", *parallel(args), *args]
        sys.exit(subprocess.call(pytest, cwd=root))


def parallel(args: list[str]) -> list[str]:
    """pytest-xdist's options unless the caller chose: one test process per core, each with its
    own test database and Redis database (tests/conftest.py). A module's tests stay in one process
    (`loadscope`), so a town that a module builds once is built once."""
    chosen = any(arg.startswith(("-n", "--numprocesses", "--dist")) for arg in args)
    disabled = any(arg in ("no:xdist", "-pno:xdist") for arg in args)
    return [] if chosen or disabled else ["-n", "auto", "--dist", "loadscope"]
