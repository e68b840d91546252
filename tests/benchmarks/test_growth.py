"""`python -m benchmarks.growth`: the factor per page from 10k to 1M, with several runs a city."""

import json

from benchmarks import growth


def _run(path, **pages):
    path.write_text(
        json.dumps({name: dict(zip(("p95", "calls"), v, strict=True)) for name, v in pages.items()})
    )
    return str(path)


def test_each_city_counts_with_its_lowest_p95_and_the_calls_are_shown(tmp_path, capsys):
    small = ",".join(
        [
            _run(tmp_path / "10k-a.json", Fallakte=(30.0, 80000), Fallliste=(9.0, 38000)),
            _run(tmp_path / "10k-b.json", Fallakte=(20.0, 80000), Fallliste=(12.0, 38000)),
        ]
    )
    large = ",".join(
        [
            _run(tmp_path / "1m-a.json", Fallakte=(26.0, 81000), Fallliste=(18.0, 38000)),
            _run(tmp_path / "1m-b.json", Fallakte=(40.0, 81000), Fallliste=(13.5, 38000)),
        ]
    )
    growth.main(small, large)
    out = capsys.readouterr().out
    assert "| Fallakte | 20.0 | 26.0 | 1.30× | 80.000 → 81.000 |" in out
    assert "| Fallliste | 9.0 | 13.5 | 1.50× | 38.000 → 38.000 |" in out
    assert "Größter Faktor: 1.50×" in out
