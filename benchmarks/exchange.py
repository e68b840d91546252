"""Export, import and compare of the whole instance: seconds and peak memory per step.

Usage (the source database is the portal's, DATABASE_URL or the SQLite file; the target an
empty, migrated database):

    SOZIALRAUM_NO_BOOTSTRAP=1 python benchmarks/exchange.py --ziel postgres://…/leer

Each step runs as its own `manage.py` process, so its peak resident memory (ru_maxrss of the
child) is the step's alone. Run it against cities of two sizes (`manage.py bench_city --cases N`)
to see memory stay flat while time grows with the rows. On a benchmark city the administrator
is `--benutzer bench-admin`; figures in benchmarks/README.md (issue 23, H5).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MANAGE = Path(__file__).resolve().parents[1] / "manage.py"


def step(name: str, args: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one `manage.py` child process.

    The peak is the child's own `ru_maxrss` from `os.wait4` (peak RSS of that process alone;
    `RUSAGE_CHILDREN` would report the largest child so far instead)."""
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, str(MANAGE), *args])
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode and name != "compare":  # compare exits 1 when it finds differences
        raise SystemExit(f"{name}: exit code {child.returncode}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ziel", required=True, help="URL einer leeren, migrierten Datenbank")
    parser.add_argument("--benutzer", default="admin")
    options = parser.parse_args()
    os.environ.setdefault("SOZIALRAUM_NO_BOOTSTRAP", "1")
    with tempfile.TemporaryDirectory() as folder:
        key = Path(folder) / "schluessel"
        key.write_text("Benchmark-Passphrase 2026")
        archive = Path(folder) / "export.srx"
        common = ["--schluessel-datei", str(key)]
        print(f"Last (1/5/15 min) zu Beginn: {os.getloadavg()}", flush=True)
        figures = [
            (
                "export",
                step(
                    "export",
                    ["export_instance", str(archive), "--benutzer", options.benutzer, *common],
                ),
            ),
            (
                "import",
                step(
                    "import",
                    ["import_instance", str(archive), "--datenbank", options.ziel, *common],
                ),
            ),
            ("compare", step("compare", ["compare_instances", "--mit", options.ziel])),
        ]
        size = archive.stat().st_size / 1024 / 1024
    print(f"Archiv: {size:.1f} MiB; Last (1/5/15 min) am Ende: {os.getloadavg()}")
    for name, (seconds, peak) in figures:
        print(f"{name:8} {seconds:8.1f} s   Spitze (RSS dieses Prozesses) {peak:7.0f} MiB")


if __name__ == "__main__":
    main()
