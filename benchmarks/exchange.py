"""Export, import and compare of the whole instance: seconds and peak memory per step.

Usage (the source database is the portal's, DATABASE_URL or the SQLite file; the target an
empty, migrated database):

    SOZIALRAUM_NO_BOOTSTRAP=1 python benchmarks/exchange.py --ziel postgres://…/leer

Each step runs as its own `manage.py` process, so its peak resident memory (ru_maxrss of the
child) is the step's alone. Run it against cities of two sizes (`manage.py bench_city --cases N`)
to see memory stay flat while time grows with the rows.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MANAGE = Path(__file__).resolve().parents[1] / "manage.py"


def step(name: str, args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    subprocess.run([sys.executable, str(MANAGE), *args], check=name != "compare")
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: a step shows its own only when it is
    # the largest yet, which is why the steps run smallest-first is not assumed; report both.
    return seconds, max(peak, before) / 1024


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
    print(f"Archiv: {size:.1f} MiB")
    for name, (seconds, peak) in figures:
        print(f"{name:8} {seconds:8.1f} s   Spitze bis hier {peak:7.0f} MiB")


if __name__ == "__main__":
    main()
