"""The demo town shows the planner tables and a plausibility report on first start."""

import datetime

from django.core.management import call_command

from kjhstat.surveys import helps


def test_demo_gives_tables_and_a_few_implausible_records(db, settings):
    call_command("demo_town", verbosity=0)
    year = datetime.date.today().year
    rows = list(helps.SURVEY.rows(year))
    assert len(rows) >= 5
    findings = list(helps.SURVEY.plausibility(year))
    records = {finding.record_label for finding in findings}
    assert 1 <= len(records) <= 8
    assert len(records) < len(rows)
    overview = next(iter(helps.SURVEY.tables(year)))
    assert sum(sum(line) for line in overview.cells) > 0
