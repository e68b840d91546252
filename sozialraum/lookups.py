"""ORM lookups the ground floor adds for every app (registered in `SozialraumConfig.ready`)."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, IntegerField, Lookup
from django.db.models.lookups import In


class IntegerIn(In):
    """`id__in=[…]` that leaves out integers no column of the field's type can hold.

    Django answers `id=<too large>` with "no match" itself, but sends `__in` values as they are:
    SQLite's driver then raises OverflowError, a 500 for a form posted with a 40-digit ID (every
    ModelMultipleChoiceField checks its values with `pk__in`). Such a value matches no row, so
    leaving it out changes no result; with none left the query is empty, as for `__in=[]`.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


IntegerField.register_lookup(IntegerIn)


class AnyOf(Lookup):
    """`field__any=[…]`: membership in a list as one parameter, so the query keeps one shape.

    `__in` writes one placeholder per item, so fifty ids are another statement than forty-nine:
    PostgreSQL plans each anew and a `PreparedQuery` (sozialraum/prepared.py) cannot keep it. On
    PostgreSQL `= ANY(%s)` takes the whole list as one array parameter; other databases (SQLite,
    the embedded default) get the usual IN (…).
    """

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # `case_id__any`: relations keep their own lookups
