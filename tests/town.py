"""A small town with the demo boundaries: regions N and S, Sozialräume N1, N2, S1, S2.

Shared by the network, overview and cases tests; a conftest imports the fixture.
"""

import datetime
from pathlib import Path

import pytest

from network.services import boundaries_import
from tests.factories import PopulationFactory, SozialraumFactory

GEOJSON = Path(__file__).resolve().parents[1] / "network" / "data" / "lindenau.geojson"


@pytest.fixture
def town(team_nord, team_sued):
    """{code: Sozialraum} with the demo boundaries imported (N1–N2–S1–S2, N1 and S2 apart)."""
    sozialraeume = {}
    for code, team in (("N1", team_nord), ("N2", team_nord), ("S1", team_sued), ("S2", team_sued)):
        sozialraeume[code] = SozialraumFactory(
            region=team.region,
            asd_team=team,
            code=code,
            name=f"Quartier {code}",
            valid_from=datetime.date(2020, 1, 1),
        )
        PopulationFactory(sozialraum=sozialraeume[code], year=2025, minors=2000)
    boundaries_import(data=GEOJSON.read_bytes())
    return sozialraeume
