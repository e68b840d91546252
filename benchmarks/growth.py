"""Growth of page times with the city's size: `python -m benchmarks.growth small.json large.json`.

Reads `bench_pages --json` files (e.g. the 10,000- and the 1,000,000-case city) and prints, per
page, p95 in each, the factor, and the Python calls of one request in each. The goal (issue 17):
at most 1.5× from 10k to 1M cases.

Either side may name several runs of the same city, separated by commas
(`10k-a.json,10k-b.json 1m-a.json,1m-b.json`): each page then counts with its lowest p95 of
those runs. On a shared machine the speed drifts by a third within minutes (the reference loop
of `bench_pages`), which on a 10 ms page is more than any growth; runs in the order small,
large, large, small give both cities the same drift, and the lowest p95 of each drops a run
that a neighbour disturbed. The calls are counted, not timed: they show what the page does.

The goal is the issue's for its main pages (`benchmarks.pages.MAIN_PAGES`, marked "ja"); the
largest factor over every page measured is printed beside it, with the page's name, so that a
filter or a search that grows is seen too.
"""

import json
import sys
from pathlib import Path

GOAL = 1.5


def _runs(paths: str) -> tuple[str, dict[str, dict]]:
    """The label and, per page, the figures of the run with its lowest p95."""
    files = [Path(path) for path in paths.split(",")]
    best: dict[str, dict] = {}
    for run in (json.loads(file.read_text()) for file in files):
        for name, figures in run.items():
            if name not in best or figures["p95"] < best[name]["p95"]:
                best[name] = figures
    label = "+".join(file.stem for file in files)
    return label, best


def main(small_paths: str, large_paths: str) -> int:
    small_label, small = _runs(small_paths)
    large_label, large = _runs(large_paths)
    print(
        f"| Seite | Hauptseite | p95 ms ({small_label}) | p95 ms ({large_label}) | Faktor "
        f"| Python-Aufrufe ({small_label} → {large_label}) |"
    )
    print("|---|---|---:|---:|---:|---|")
    factors: dict[str, float] = {}
    main_pages = set()
    for name, figures in small.items():
        if name not in large:
            continue
        factor = large[name]["p95"] / figures["p95"] if figures["p95"] else float("nan")
        factors[name] = factor
        if figures.get("main"):
            main_pages.add(name)
        calls = f"{figures.get('calls', 0):,} → {large[name].get('calls', 0):,}".replace(",", ".")
        print(
            f"| {name} | {'ja' if name in main_pages else '–'} | {figures['p95']:.1f} "
            f"| {large[name]['p95']:.1f} | {factor:.2f}× | {calls} |"
        )
    if not factors:
        return 0
    main = max((factors[name] for name in main_pages), default=float("nan"))
    print(f"Größter Faktor der Hauptseiten: {main:.2f}× (Ziel: höchstens {GOAL}×)")
    worst = max(factors, key=lambda name: factors[name])
    print(f"Größter Faktor aller Seiten: {factors[worst]:.2f}× ({worst})")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
