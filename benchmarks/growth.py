"""Growth of page times with the city's size: `python -m benchmarks.growth small.json large.json`.

Reads two `bench_pages --json` files (e.g. the 10,000- and the 1,000,000-case city) and prints,
per page, p95 in each and the factor. The goal (issue 17): at most 1.5× from 10k to 1M cases.
"""

import json
import sys
from pathlib import Path

GOAL = 1.5


def main(small_path: str, large_path: str) -> int:
    small = json.loads(Path(small_path).read_text())
    large = json.loads(Path(large_path).read_text())
    print(
        f"| Seite | p95 ms ({Path(small_path).stem}) | p95 ms ({Path(large_path).stem}) | Faktor |"
    )
    print("|---|---:|---:|---:|")
    worst = 0.0
    for name, figures in small.items():
        if name not in large:
            continue
        factor = large[name]["p95"] / figures["p95"] if figures["p95"] else float("nan")
        worst = max(worst, factor)
        print(f"| {name} | {figures['p95']:.1f} | {large[name]['p95']:.1f} | {factor:.2f}× |")
    print(f"Größter Faktor: {worst:.2f}× (Ziel: höchstens {GOAL}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
