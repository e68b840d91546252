import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prüft den Code mit ruff und führt die ganze Testsuite mit pytest aus."

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
            for check in (["check", "."], ["format", "--check", "."]):
                print(f"== ruff {' '.join(check)}", flush=True)
                if subprocess.call([sys.executable, "-m", "ruff", *check], cwd=root) != 0:
                    sys.exit(1)
        print("== pytest", flush=True)
        sys.exit(subprocess.call([sys.executable, "-m", "pytest", *args], cwd=root))
