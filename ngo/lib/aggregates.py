"""Aggregates the ORM lacks on both databases Hamkke runs on."""

from django.db.models import Aggregate, CharField, F, Func, OuterRef, Subquery, Value


class Joined(Aggregate):
    """The values of a column joined with `separator` (PostgreSQL's string_agg,
    SQLite's group_concat), in no particular order."""

    function = "STRING_AGG"
    output_field = CharField()

    def __init__(self, expression, separator: str = ", ", **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def joined_subquery(
    queryset, *, key: str, value: str, separator: str = ", ", all_at_once: bool = False
):
    """One text per outer row: the `value` of the rows of `queryset` whose `key`
    is the outer row's primary key, joined (for exports that read rows, not
    objects).

    A correlated subquery costs the database a few microseconds an outer row
    even when it finds nothing. `all_at_once` (for an export of most of a long
    table) joins the values of every key in one pass instead, on PostgreSQL, and
    each row looks its text up there; on SQLite it changes nothing."""
    correlated = Subquery(
        queryset.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(joined=Joined(value, separator))
        .values("joined"),
        output_field=CharField(),
    )
    if not all_at_once:
        return correlated
    grouped = queryset.order_by().values(key).annotate(joined=Joined(value, separator))
    return JoinedByKey(F("pk"), grouped=grouped.values_list(key, "joined"), correlated=correlated)


class JoinedByKey(Func):
    """See `joined_subquery(all_at_once=True)`: on PostgreSQL, the joined texts of
    every key gathered once into a JSON object (an uncorrelated subquery, which
    PostgreSQL runs once a statement) and read by the outer row's key."""

    output_field = CharField()
    arity = 1

    def __init__(self, key, *, grouped, correlated, **extra):
        super().__init__(key, **extra)
        self.grouped, self.correlated = grouped, correlated

    def resolve_expression(self, *args, **kwargs):
        resolved = super().resolve_expression(*args, **kwargs)
        resolved.correlated = self.correlated.resolve_expression(*args, **kwargs)
        return resolved

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.correlated)

    def as_postgresql(self, compiler, connection, **extra_context):
        key, key_params = compiler.compile(self.source_expressions[0])
        grouped, grouped_params = self.grouped.query.get_compiler(connection=connection).as_sql()
        return (
            f"((SELECT jsonb_object_agg(keyed.key, keyed.joined) FROM ({grouped})"  # noqa: S608
            f" AS keyed(key, joined)) ->> CAST({key} AS text))",
            (*grouped_params, *key_params),
        )


class JoinedJsonList(Func):
    """The items of a JSON list of text joined with `separator` in their order,
    each replaced by its label in `labels` if it has one (a list of choices read
    as one cell); NULL for an empty list."""

    output_field = CharField()
    arity = 1

    def __init__(self, expression, *, separator: str, labels: dict | None = None, **extra):
        super().__init__(expression, **extra)
        self.separator, self.labels = separator, dict(labels or {})

    def _item(self, column: str) -> tuple[str, list]:
        if not self.labels:
            return column, []
        whens = " ".join("WHEN %s THEN %s" for _ in self.labels)
        params = [str(text) for pair in self.labels.items() for text in pair]
        return f"CASE {column} {whens} ELSE {column} END", params

    def as_sql(self, compiler, connection, **extra_context):  # SQLite
        items, items_params = self._item("item.value")
        array, array_params = compiler.compile(self.source_expressions[0])
        # Compiled SQL and placeholders only; every value is a parameter.
        return (
            f"(SELECT GROUP_CONCAT({items}, %s) FROM json_each({array}) AS item)",  # noqa: S608
            (*items_params, self.separator, *array_params),
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        items, items_params = self._item("item.value")
        array, array_params = compiler.compile(self.source_expressions[0])
        # An ARRAY() of the ordered items costs half a STRING_AGG over them, and an
        # empty list (most recommendations name no recommending State) none.
        return (
            f"CASE WHEN jsonb_array_length({array}) > 0 THEN ARRAY_TO_STRING(ARRAY("  # noqa: S608
            f"SELECT {items} FROM jsonb_array_elements_text({array})"
            " WITH ORDINALITY AS item(value, position) ORDER BY item.position), %s) END",
            (*array_params, *items_params, *array_params, self.separator),
        )
