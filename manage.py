#!/usr/bin/env python3
"""Django's command-line utility for the Sozialraum portal.

Run with any Python 3.11+: outside a virtual environment it first creates `.venv/` beside this
file, installs the locked dependencies (requirements.lock, the same versions CI and the image
use) and the project into it (again whenever pyproject.toml or the lock changes) and re-runs
itself there. That is what lets the README's two commands work on a fresh machine with nothing but
Python. Set SOZIALRAUM_NO_BOOTSTRAP=1 to use the interpreter as it is (the Docker image does).
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _bootstrap() -> None:
    """Make sure the project's virtual environment exists and is current, then run inside it."""
    if os.environ.get("SOZIALRAUM_NO_BOOTSTRAP"):
        return
    in_own_venv = Path(sys.prefix).resolve() == VENV.resolve()
    in_other_venv = sys.prefix != sys.base_prefix and not in_own_venv
    if in_other_venv:
        return  # somebody manages their own environment; respect it
    if sys.version_info < (3, 11):
        sys.exit("Das Portal braucht Python 3.11 oder neuer.")
    if not _venv_python().exists():
        print("» Lege die virtuelle Umgebung .venv an …", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / ".installed"
    inputs = (ROOT / "pyproject.toml", ROOT / "requirements.lock")
    wanted = hashlib.sha256(b"".join(path.read_bytes() for path in inputs)).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        print("» Installiere die Abhängigkeiten (einmalig, dauert etwas) …", flush=True)
        pip = [
            str(_venv_python()),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ]
        # Pinned versions with their hashes first, then the project itself without resolving
        # anything again: what runs here is exactly what the lock says.
        subprocess.check_call([*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock")])
        subprocess.check_call([*pip, "--no-deps", "-e", str(ROOT)])
        stamp.write_text(wanted)
    if not in_own_venv:
        python = str(_venv_python())
        os.execv(python, [python, str(ROOT / "manage.py"), *sys.argv[1:]])


def main() -> None:
    _bootstrap()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    from portal.startup import settings_or_exit

    # A missing or wrong setting ends the start with one German line, not a traceback.
    settings_or_exit()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
