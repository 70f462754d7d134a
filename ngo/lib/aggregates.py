"""Aggregates the ORM lacks on both databases Hamkke runs on."""

from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value


class Joined(Aggregate):
    """The values of a column joined with `separator` (PostgreSQL's string_agg,
    SQLite's group_concat), in no particular order."""

    function = "STRING_AGG"
    output_field = CharField()

    def __init__(self, expression, separator: str = ", ", **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def joined_subquery(queryset, *, key: str, value: str, separator: str = ", ") -> Subquery:
    """One text per outer row: the `value` of the rows of `queryset` whose `key`
    is the outer row's primary key, joined (for exports that read rows, not
    objects)."""
    return Subquery(
        queryset.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(joined=Joined(value, separator))
        .values("joined"),
        output_field=CharField(),
    )
