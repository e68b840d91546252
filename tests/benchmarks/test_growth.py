"""`python -m benchmarks.growth`: the factor per page from 10k to 1M, with several runs a city."""

import json

from benchmarks import growth


def _run(path, **pages):
    path.write_text(
        json.dumps(
            {name: dict(zip(("p95", "calls", "main"), v, strict=True)) for name, v in pages.items()}
        )
    )
    return str(path)


def test_each_city_counts_with_its_lowest_p95_and_the_calls_are_shown(tmp_path, capsys):
    small = ",".join(
        [
            _run(
                tmp_path / "10k-a.json",
                Fallakte=(30.0, 80000, True),
                Fallliste=(9.0, 38000, True),
                Suche=(9.0, 27000, False),
            ),
            _run(
                tmp_path / "10k-b.json",
                Fallakte=(20.0, 80000, True),
                Fallliste=(12.0, 38000, True),
                Suche=(10.0, 27000, False),
            ),
        ]
    )
    large = ",".join(
        [
            _run(
                tmp_path / "1m-a.json",
                Fallakte=(26.0, 81000, True),
                Fallliste=(18.0, 38000, True),
                Suche=(27.0, 42000, False),
            ),
            _run(
                tmp_path / "1m-b.json",
                Fallakte=(40.0, 81000, True),
                Fallliste=(13.5, 38000, True),
                Suche=(30.0, 42000, False),
            ),
        ]
    )
    growth.main(small, large)
    out = capsys.readouterr().out
    assert "| Fallakte | ja | 20.0 | 26.0 | 1.30× | 80.000 → 81.000 |" in out
    assert "| Fallliste | ja | 9.0 | 13.5 | 1.50× | 38.000 → 38.000 |" in out
    assert "| Suche | – | 9.0 | 27.0 | 3.00× | 27.000 → 42.000 |" in out
    # The goal counts for the main pages; the page that grows most is named all the same.
    assert "Größter Faktor der Hauptseiten: 1.50× (Ziel: höchstens 1.5×)" in out
    assert "Größter Faktor aller Seiten: 3.00× (Suche)" in out
