"""Queries compiled to SQL once per process and then run with new values (issue 8).

Building a queryset with a few joins and compiling it to SQL costs Django about a millisecond,
several times what PostgreSQL needs to answer it: on the case page, with a dozen small queries,
compiling was 40 % of the page's time. Those queries keep their shape from page to page; only
the values change (the case's id, the reader's region). A `PreparedQuery` builds its queryset once
with stand-in values, compiles it, notes where the stand-ins went among the SQL parameters, and
from then on runs that SQL with the real values through Django's own iterables: rows become the
same model instances (select_related included), values or tuples as before.

Rules for `build`:
- a pure function of its arguments: anything else it reads (today's date, a setting) would be
  frozen into the SQL at the first run;
- arguments are ints, strings or dates that reach the SQL as they are (equality, ranges) or, for
  strings, as a LIKE pattern (`__contains`, `__icontains`, `__startswith`, ...), or lists of ints
  through the `__any` lookup (sozialraum/lookups.py: one array parameter on PostgreSQL; other
  databases run such a query the usual way); never None, never `__in` lists; a stand-in that
  cannot be found is an error at once, not a silent wrong answer;
- no `prefetch_related` (run `prefetch_related_objects` on the result).

`PREPARED_QUERY_CHECK` (on in the tests) also compiles every run the usual way and raises where
the two differ, which catches a `build` that reads something besides its arguments.
"""

import copy
import datetime
import itertools
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

_stand_in_numbers = itertools.count(1)
INT16 = (-(2**15), 2**15 - 1)
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# A stand-in for an int argument, by the widest column range it still fits: Django answers a
# value beyond a column's range with no rows (EmptyResultSet) instead of SQL.
_INT_STAND_INS = ((INT64, 2**31 + 1_000), (INT32, 2_100_000_000), (INT16, 32_000))


def _stand_in(value: Any) -> Any:
    """A value of the same type that no real query uses (ints: see `_INT_STAND_INS`)."""
    number = next(_stand_in_numbers) % 700
    if isinstance(value, bool) or value is None:
        raise ImproperlyConfigured("PreparedQuery arguments must be ints, strings or dates.")
    if isinstance(value, list):
        if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            raise ImproperlyConfigured("PreparedQuery list arguments must hold ints.")
        return [_INT_STAND_INS[-1][1] + number]
    if isinstance(value, int):
        return _INT_STAND_INS[-1][1] + number  # fits every integer column
    if isinstance(value, str):
        return f"\x1fstand-in {number}\x1f"
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.date(1000 + number, 2, 3)
    raise ImproperlyConfigured(f"PreparedQuery cannot stand in for a {type(value).__name__}.")


def _as_text(value: datetime.date) -> str:
    return value.isoformat()


def _keep(value: Any) -> Any:
    return value


def _slot_form(
    param: Any, stand_in: Any, like_escape: Callable[[str], str]
) -> Callable[[Any], Any] | None:
    """How the argument appears as this parameter, or None if it is another value: as it is,
    wrapped by the database backend (psycopg's Int2, Int4, Int8 for integer columns), as text
    (SQLite's dates), or inside a LIKE pattern with its wildcards escaped."""
    if type(param) is type(stand_in) and param == stand_in:
        return list if isinstance(stand_in, list) else _keep
    if isinstance(stand_in, int) and isinstance(param, int) and int(param) == stand_in:
        return type(param)
    if isinstance(stand_in, datetime.date) and param == stand_in.isoformat():
        return _as_text
    if isinstance(stand_in, str) and isinstance(param, str) and stand_in in param:
        prefix, _, suffix = param.partition(stand_in)
        if {prefix, suffix} <= {"", "%"}:
            return lambda value: f"{prefix}{like_escape(value)}{suffix}"
    return None


@dataclass
class _Compiled:
    template: QuerySet
    compiler: Any
    sql: str
    params: tuple
    # argument name -> [(position among the parameters, how the value is written there)]
    slots: dict[str, list[tuple[int, Callable[[Any], Any]]]]
    # int argument -> the range its column takes; a value outside is no row (Django's rule)
    ranges: dict[str, tuple[int, int]]

    def fits(self, values: dict[str, Any]) -> bool:
        return all(low <= values[name] <= high for name, (low, high) in self.ranges.items())

    def params_for(self, values: dict[str, Any]) -> list:
        params = list(self.params)
        for name, places in self.slots.items():
            value = values[name]
            for position, form in places:
                params[position] = form(value)
        return params


class _Query:
    """The template's query, handing Django's iterable the compiler of this run."""

    def __init__(self, query: Any, compiler: Any):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)


class _Run:
    """What Django's iterables read of a queryset, for one run of a prepared query."""

    def __init__(self, template: QuerySet, compiler: Any):
        self.db = template.db
        self.model = template.model
        self.query = _Query(template.query, compiler)
        self._fields = template._fields
        self._known_related_objects = template._known_related_objects


class PreparedQuery:
    """`build(**values)` compiled once per process; `run(**values)` returns the rows as a list.

    One database: the portal reads from "default" only (no router), so the SQL compiled first
    fits every later run.
    """

    def __init__(self, build: Callable[..., QuerySet], *, shapes: int = 64):
        self.build = build
        # By the names of the arguments given: `build` may shape its query by which it gets.
        # At most `shapes` are kept, the least recently used dropped first: a filter form's
        # combinations must not grow a worker's memory without end.
        self._compiled: OrderedDict[tuple[str, ...], _Compiled] = OrderedDict()
        self._shapes = shapes

    def _compile(self, values: dict[str, Any]) -> _Compiled:
        stand_ins = {name: _stand_in(value) for name, value in values.items()}
        template = self.build(**stand_ins)
        if template._prefetch_related_lookups:
            raise ImproperlyConfigured("A PreparedQuery cannot prefetch; prefetch the result.")
        compiler = template.query.get_compiler(using=template.db)
        sql, params = compiler.as_sql()  # EmptyResultSet: a stand-in no column takes
        like_escape = connections[template.db].ops.prep_for_like_query
        slots: dict[str, list[tuple[int, Callable[[Any], Any]]]] = {}
        for name, stand_in in stand_ins.items():
            slots[name] = [
                (position, form)
                for position, param in enumerate(params)
                if (form := _slot_form(param, stand_in, like_escape)) is not None
            ]
            if not slots[name]:
                raise ImproperlyConfigured(
                    f"PreparedQuery: the argument {name!r} does not reach the SQL as a parameter "
                    "(an `__in` list, a value changed on the way, or not used)."
                )
        ranges = {
            name: self._range(stand_ins, name)
            for name, value in stand_ins.items()
            if isinstance(value, int)
        }
        return _Compiled(template, compiler, sql, tuple(params), slots, ranges)

    def _range(self, stand_ins: dict[str, Any], name: str) -> tuple[int, int]:
        """The range of the column an int argument meets, found by trying wider stand-ins."""
        for column_range, base in _INT_STAND_INS[:-1]:
            wider = self.build(**{**stand_ins, name: base + stand_ins[name] % 700})
            try:
                wider.query.get_compiler(using=wider.db).as_sql()
            except EmptyResultSet:
                continue
            return column_range
        return INT16

    def run(self, **values: Any) -> list:
        if any(value is None for value in values.values()):
            return list(self.build(**values))  # IS NULL: a query of another shape
        if (
            any(isinstance(value, list) for value in values.values())
            and connections[DEFAULT_DB_ALIAS].vendor != "postgresql"
        ):
            return list(self.build(**values))  # `__any` is IN (…) there: no fixed shape
        names = tuple(sorted(values))
        compiled = self._compiled.get(names)
        if compiled is not None:
            self._compiled.move_to_end(names)
        else:
            try:
                compiled = self._compile(values)
            except EmptyResultSet:
                if settings.PREPARED_QUERY_CHECK:
                    raise ImproperlyConfigured(
                        f"PreparedQuery {self.build.__qualname__}: a column does not take the "
                        "stand-in values; run this query the usual way."
                    ) from None
                return list(self.build(**values))
            self._compiled[names] = compiled
            if len(self._compiled) > self._shapes:
                self._compiled.popitem(last=False)
        if not compiled.fits(values):
            return list(self.build(**values))  # Django's answer for an id beyond the column
        params = compiled.params_for(values)
        if settings.PREPARED_QUERY_CHECK:
            self._check(compiled, params, values)
        compiler = copy.copy(compiled.compiler)
        # This thread's connection: the first compile may have happened in another thread.
        compiler.connection = connections[compiled.template.db]
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        return list(compiled.template._iterable_class(_Run(compiled.template, compiler)))

    def _check(self, compiled: _Compiled, params: list, values: dict[str, Any]) -> None:
        fresh = self.build(**values)
        sql, fresh_params = fresh.query.get_compiler(using=fresh.db).as_sql()
        if sql != compiled.sql or list(fresh_params) != params:
            raise AssertionError(
                f"PreparedQuery {self.build.__qualname__}: the SQL compiled now differs from "
                "the prepared one; does build() read more than its arguments?"
            )
