"""ORM lookups the ground floor adds for every app (registered in `SozialraumConfig.ready`)."""

from django.db.models import IntegerField
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
