"""Prepared queries: compiled once, run with new values, the same rows as the queryset."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sozialraum.models import Population, Sozialraum, User
from sozialraum.prepared import PreparedQuery
from tests.factories import PopulationFactory, SozialraumFactory, UserFactory

pytestmark = pytest.mark.django_db


class Counting:
    """A build function that counts how often it is called (i.e. compiled)."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, **values):
        self.calls += 1
        return self.build(**values)


def test_runs_give_the_querysets_rows_and_compile_once(users, settings):
    settings.PREPARED_QUERY_CHECK = False  # the check compiles each run too
    build = Counting(
        lambda pk: User.objects.select_related("asd_team__region", "provider").filter(pk=pk)
    )
    prepared = PreparedQuery(build)
    for name in ("caseworker", "provider_staff", "team_lead"):
        with CaptureQueriesContext(connection) as queries:
            (user,) = prepared.run(pk=users[name].pk)
        assert len(queries) == 1  # the joins came along, no query for the team or provider
        assert user == users[name] and user.username == users[name].username
        assert user.asd_team == users[name].asd_team and user.provider == users[name].provider
    assert prepared.run(pk=10**9) == []
    # Compiled once (plus once more to learn the id column's range), not once per run.
    assert build.calls == 2


def test_dates_strings_and_values_lists(db):
    nord = SozialraumFactory(code="PN")
    PopulationFactory(sozialraum=nord, year=2024, minors=1200)
    PopulationFactory(sozialraum=nord, year=2025, minors=1300)
    prepared = PreparedQuery(
        lambda code, since: (
            Sozialraum.objects.filter(code=code, valid_from__lte=since)
            .order_by("populations__year")
            .values_list("code", "populations__minors")
        )
    )
    day = nord.valid_from
    assert prepared.run(code="PN", since=day) == [("PN", 1200), ("PN", 1300)]
    assert prepared.run(code="PN", since=day - datetime.timedelta(days=1)) == []
    assert prepared.run(code="XX", since=day) == []


def test_an_id_beyond_the_column_is_no_row_not_an_error(db):
    prepared = PreparedQuery(lambda year: Population.objects.filter(year=year))
    PopulationFactory(year=2025)
    assert len(prepared.run(year=2025)) == 1
    assert prepared.run(year=2**40) == []  # Django's answer for a value no column holds
    users = PreparedQuery(lambda pk: User.objects.filter(pk=pk))
    assert users.run(pk=2**70) == []


def test_a_build_that_reads_more_than_its_arguments_is_caught(users):
    region = {"id": users["caseworker"].asd_team.region_id}
    prepared = PreparedQuery(
        lambda pk: User.objects.filter(pk=pk, asd_team__region_id=region["id"])
    )
    assert prepared.run(pk=users["caseworker"].pk) == [users["caseworker"]]
    region["id"] = users["caseworker_sued"].asd_team.region_id  # frozen into the SQL
    with pytest.raises(AssertionError, match="differs from the prepared one"):
        prepared.run(pk=users["caseworker_sued"].pk)


def test_a_value_derived_from_an_argument_is_caught(users):
    in_list = PreparedQuery(lambda pk: User.objects.filter(pk__in=[pk, pk + 1]))
    with pytest.raises(AssertionError, match="differs from the prepared one"):
        in_list.run(pk=users["caseworker"].pk)


def test_arguments_that_do_not_reach_the_sql_as_they_are_are_refused(users):
    unused = PreparedQuery(lambda pk: User.objects.filter(is_active=True))
    with pytest.raises(ImproperlyConfigured, match="does not reach the SQL"):
        unused.run(pk=users["caseworker"].pk)
    if connection.vendor == "postgresql":  # elsewhere lists run the usual way anyway
        in_list = PreparedQuery(lambda pks: User.objects.filter(pk__in=pks))
        with pytest.raises(ImproperlyConfigured, match="does not reach the SQL"):
            in_list.run(pks=[users["caseworker"].pk])
    prefetching = PreparedQuery(lambda pk: User.objects.filter(pk=pk).prefetch_related("groups"))
    with pytest.raises(ImproperlyConfigured, match="cannot prefetch"):
        prefetching.run(pk=users["caseworker"].pk)


def test_none_runs_the_usual_way(db):
    someone = UserFactory(asd_team=None)
    prepared = PreparedQuery(lambda team: User.objects.filter(asd_team_id=team))
    assert someone in prepared.run(team=None)


def test_text_searches_match_what_was_typed_wildcards_included(db):
    for name in ("zz-anna_b", "zz-annaxb", "zz-bert", "zz-50%"):
        UserFactory(username=name)

    def names(lookup: str):
        return PreparedQuery(
            lambda part: (
                User.objects.filter(**{f"username__{lookup}": part})
                .order_by("username")
                .values_list("username", flat=True)
            )
        )

    contains, starts = names("icontains"), names("startswith")
    assert contains.run(part="NNA") == ["zz-anna_b", "zz-annaxb"]
    assert contains.run(part="a_b") == ["zz-anna_b"]  # "_" is a letter, not any letter
    assert contains.run(part="0%") == ["zz-50%"]
    assert contains.run(part="%") == ["zz-50%"]
    assert starts.run(part="zz-a") == ["zz-anna_b", "zz-annaxb"]
    assert starts.run(part="anna") == []


def test_lists_through_any_are_one_statement_whatever_their_length(db):
    first, second, third = (PopulationFactory(year=2000 + n) for n in range(3))
    prepared = PreparedQuery(
        lambda pks: (
            Population.objects.filter(pk__any=pks).order_by("pk").values_list("year", flat=True)
        )
    )
    with CaptureQueriesContext(connection) as queries:
        assert prepared.run(pks=[first.pk, third.pk]) == [2000, 2002]
        assert prepared.run(pks=[second.pk]) == [2001]
        assert prepared.run(pks=[third.pk, second.pk, first.pk]) == [2000, 2001, 2002]
    assert prepared.run(pks=[]) == []
    if connection.vendor == "postgresql":  # elsewhere IN (…), run the usual way
        assert len({query["sql"].split(" WHERE ")[0] for query in queries}) == 1
        assert all("= ANY(" in query["sql"] for query in queries)


def test_only_the_recently_used_shapes_stay_compiled(db, settings):
    settings.PREPARED_QUERY_CHECK = False
    build = Counting(lambda **years: Population.objects.filter(**years))
    prepared = PreparedQuery(build, shapes=2)
    PopulationFactory(year=2025)

    def run(*names: str) -> int:
        before = build.calls
        prepared.run(**{name: 2025 for name in names})
        return build.calls - before  # compiles (and range probes) this run needed

    assert run("year") > 0 and run("year") == 0
    assert run("year", "year__gte") > 0 and run("year") == 0
    assert run("year__lte") > 0  # a third shape: the least recently used one goes
    assert run("year") == 0 and run("year", "year__gte") > 0
