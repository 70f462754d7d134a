"""The units of shadow-report counting as SQL: for each measure, the queryset
of its units (consenting women only) and the SQL expression of each dimension
for it, and the few vendor-specific pieces (PostgreSQL and SQLite) behind them.
See counting.py for the rules and how the groups become tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractQuarter,
    ExtractYear,
    Greatest,
    Least,
    TruncDate,
)
from django.db.models.lookups import LessThan
from django.utils import timezone

from counselling.hotline.models import HotlineCall
from counselling.incidents.models import Incident
from counselling.models import (
    Case as CaseFile,
)
from counselling.models import (
    Child,
    Client,
    Consent,
    ConsentPurpose,
    CounsellingSession,
    Referral,
)
from counselling.shelters.models import Stay
from policy_monitor.statistics import tabulation

WOMEN = "clients"
NOT_A_WOMANS = ("referral_destination", "call_topic", "call_language")


# --- Vendor SQL ------------------------------------------------------------------------------


class CodeSet(Subquery):
    """The distinct codes of a subquery's column `codes_` (JSON arrays when
    `array`, else plain values), sorted and joined by SEPARATOR; NULL when none."""

    ARRAY = {
        "postgresql": (
            "(SELECT string_agg(DISTINCT e, '|' ORDER BY e) FROM (%(subquery)s) s, "
            "jsonb_array_elements_text(CASE WHEN jsonb_typeof(s.\"codes_\") = 'array' "
            "THEN s.\"codes_\" ELSE '[]'::jsonb END) e)"
        ),
        "sqlite": (
            "(SELECT group_concat(v, '|') FROM (SELECT DISTINCT j.value AS v "
            'FROM (%(subquery)s) s, json_each(s."codes_") j ORDER BY v))'
        ),
    }
    SCALAR = {
        "postgresql": (
            '(SELECT string_agg(DISTINCT s."codes_", \'|\' ORDER BY s."codes_") '
            "FROM (%(subquery)s) s WHERE s.\"codes_\" <> '')"
        ),
        "sqlite": (
            "(SELECT group_concat(v, '|') FROM (SELECT DISTINCT s.\"codes_\" AS v "
            "FROM (%(subquery)s) s WHERE s.\"codes_\" <> '' ORDER BY v))"
        ),
    }

    def __init__(self, queryset, *, array: bool):
        self.array = array
        super().__init__(queryset, output_field=CharField())

    def as_sql(self, compiler, connection, template=None, **extra_context):
        templates = self.ARRAY if self.array else self.SCALAR
        return super().as_sql(compiler, connection, template=templates[connection.vendor])


class DaysBetween(Func):
    """Whole days from the second date to the first."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((%(expressions)s)::date)",
            arg_joiner=")::date - (",
            **extra_context,
        )


def grouped(queryset, aliases: list[str], weight: str | None) -> list[tuple]:
    """One row per distinct value of the aliases, with its COUNT(*) or SUM(weight)."""
    selected = [*aliases, weight] if weight else aliases
    sql, params = queryset.order_by().values(*selected).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(alias) for alias in aliases)
    total = f"SUM({quote(weight)})" if weight else "COUNT(*)"
    # Only quoted aliases of our own and the ORM's compiled SQL: no input reaches the text.
    grouped = f"SELECT {columns + ', ' if columns else ''}{total} FROM ({sql}) units"  # noqa: S608
    if columns:
        grouped += f" GROUP BY {columns}"
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        return cursor.fetchall()


def streamed(queryset, aliases: list[str]) -> Iterator[tuple]:
    sql, params = queryset.order_by().values(*aliases).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            yield from rows


# --- Units ---------------------------------------------------------------------------------


def _bounds(definition) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(definition.period_from, time.min, tzinfo=tz)
    end = datetime.combine(definition.period_to + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def _sessions_in_period(definition):
    start, end = _bounds(definition)
    return CounsellingSession.objects.filter(started_at__gte=start, started_at__lt=end)


def _consent(client_id: str) -> Subquery:
    return Subquery(
        Consent.objects.filter(client_id=OuterRef(client_id), purpose=ConsentPurpose.STATISTICS)
        .order_by("-recorded_at", "-id")
        .values("given")[:1]
    )


def _consenting(queryset, client_id: str):
    """Units of women whose newest statistics decision is a yes (one uncorrelated
    subquery: the database looks each woman up once, not once per unit)."""
    women = Client.objects.annotate(consent_=_consent("pk")).filter(consent_=True)
    return queryset.filter(**{f"{client_id}__in": women.values("pk")})


def _in_branches(queryset, definition, branch: str):
    if definition.branch_ids:
        return queryset.filter(**{f"{branch}__in": list(definition.branch_ids)})
    return queryset


def _opened_in_period(definition) -> Q:
    return Q(opened_on__gte=definition.period_from, opened_on__lte=definition.period_to)


def _scoped_cases(definition):
    """Every case of the period and branches, consenting or not."""
    cases = _in_branches(CaseFile.objects.all(), definition, "branch_id")
    if definition.period_basis == "opened":
        return cases.filter(_opened_in_period(definition))
    served = _sessions_in_period(definition).values("case_id")
    return cases.filter(_opened_in_period(definition) | Q(pk__in=served))


def _reference_day(definition, case_id: str = "pk"):
    """Opened in the period: that day; else her first session in the period."""
    if definition.period_basis == "opened":
        return F("opened_on")
    first_session = Subquery(
        _sessions_in_period(definition)
        .filter(case_id=OuterRef(case_id))
        .order_by("started_at")
        .values(day=TruncDate("started_at"))[:1],
        output_field=DateField(),
    )
    return Case(
        When(_opened_in_period(definition), then=F("opened_on")),
        default=Coalesce(first_session, F("opened_on")),
        output_field=DateField(),
    )


@dataclass
class UnitKind:
    """How one measure's units reach the woman, the case and the day."""

    queryset: Callable
    key: str
    client: str  # path to the client, e.g. "case__client"
    case: str | None  # path to the case id, or None (calls)
    day: Callable  # definition -> expression of the unit's day
    branch: str
    weight: Callable | None = None  # definition -> expression summed instead of counted
    women: bool = False


def _age(definition, kind: UnitKind, day):
    birth = f"{kind.client}__birth_date"
    before_birthday = LessThan(
        ExtractMonth(day) * 100 + ExtractDay(day),
        ExtractMonth(birth) * 100 + ExtractDay(birth),
    )
    return Case(
        When(
            **{f"{birth}__isnull": False},
            then=ExtractYear(day)
            - ExtractYear(birth)
            - Case(When(before_birthday, then=Value(1)), default=Value(0)),
        ),
        default=F(f"{kind.client}__estimated_age"),
        output_field=IntegerField(),
    )


def _her_cases(definition, kind: UnitKind):
    return _scoped_cases(definition).filter(client_id=OuterRef(f"{kind.client}_id"))


def _expression(definition, kind: UnitKind, key: str):
    """The SQL expression of one dimension for one kind of unit."""
    client, case = kind.client, kind.case
    day = kind.day(definition)
    if kind.women and key in NOT_A_WOMANS:
        # Counted for the merge decision only: a referral's own category is none of hers.
        return Value(None, output_field=CharField())
    if key == "year":
        return ExtractYear(day)
    if key == "quarter":
        return ExtractQuarter(day)
    if key == "branch":
        return F(kind.branch)
    if key == "nationality":
        return F(f"{client}__nationality")
    if key == "residence_status":
        return F(f"{client}__residence_status_index")
    if key == "visa_validity":
        visa = f"{client}__visa_expiry"
        return Case(
            When(**{f"{visa}__isnull": True}, then=Value(None)),
            When(**{f"{visa}__lt": definition.period_to}, then=Value("expired")),
            default=Value("valid"),
        )
    if key == "age_band":
        return _age(definition, kind, day)
    if key == "marital_status":
        return F(f"{client}__marital_status")
    if key == "has_children":
        return Exists(Child.objects.filter(client_id=OuterRef(f"{client}_id")))
    if key == "referral_destination":
        return F("organisation__kind")
    if key == "call_topic":
        return F("topics")
    if key == "call_language":
        return F("language")
    if kind.women:
        return _woman_expression(definition, kind, key)
    if key == "case_type":
        return F("case_types" if case == "pk" else "case__case_types")
    if key == "risk_level":
        return F("risk_level" if case == "pk" else "case__risk_level")
    if key in ("violence_type", "perpetrator"):
        return CodeSet(
            Incident.objects.filter(case_id=OuterRef(case)).values(codes_=F(key)), array=False
        )
    if key == "service":
        if kind.key == "sessions":
            return F("services")
        sessions = _sessions_in_period(definition).filter(case_id=OuterRef(case))
        return CodeSet(sessions.values(codes_=F("services")), array=True)
    raise KeyError(key)


def _woman_expression(definition, kind: UnitKind, key: str):
    """A woman: the union over all her cases of the period, her highest risk."""
    cases = _her_cases(definition, kind)
    if key == "case_type":
        return CodeSet(cases.values(codes_=F("case_types")), array=True)
    if key == "service":
        sessions = _sessions_in_period(definition).filter(
            case__client_id=OuterRef(f"{kind.client}_id"),
            case__in=_scoped_cases(definition).values("pk"),
        )
        return CodeSet(sessions.values(codes_=F("services")), array=True)
    if key in ("violence_type", "perpetrator"):
        incidents = Incident.objects.filter(
            case__client_id=OuterRef(f"{kind.client}_id"),
            case__in=_scoped_cases(definition).values("pk"),
        )
        return CodeSet(incidents.values(codes_=F(key)), array=False)
    if key == "risk_level":
        rank = Case(
            *(When(risk_level=level, then=Value(n)) for n, level in enumerate(RISK_ORDER)),
            default=Value(None),
            output_field=IntegerField(),
        )
        return Subquery(
            cases.annotate(rank_=rank)
            .order_by(F("rank_").desc(nulls_last=True))
            .values("rank_")[:1]
        )
    raise KeyError(key)


RISK_ORDER = tabulation.RISK_ORDER


def _cases(definition):
    return _consenting(_scoped_cases(definition), "client_id")


def _women(definition):
    """Her first case (by reference date) stands for her."""
    cases = _cases(definition)
    first = (
        _scoped_cases(definition)
        .filter(client_id=OuterRef("client_id"))
        .annotate(reference_=_reference_day(definition))
        .order_by("reference_", "-opened_on", "-id")
        .values("pk")[:1]
    )
    return cases.filter(pk=Subquery(first))


def _sessions(definition):
    # A session in the period serves its case: only the branch (and, counting
    # cases opened in the period, the opening) limits which cases it may be of.
    sessions = _in_branches(_sessions_in_period(definition), definition, "case__branch_id")
    if definition.period_basis == "opened":
        sessions = sessions.filter(
            case__opened_on__gte=definition.period_from, case__opened_on__lte=definition.period_to
        )
    return _consenting(sessions, "case__client_id")


def _referrals(definition):
    referrals = Referral.objects.filter(
        sent_on__gte=definition.period_from, sent_on__lte=definition.period_to
    )
    referrals = _in_branches(referrals, definition, "case__branch_id")
    return _consenting(referrals, "case__client_id")


def _stays(definition):
    stays = Stay.objects.filter(admitted_on__lte=definition.period_to).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=definition.period_from)
    )
    stays = _in_branches(stays, definition, "shelter__branch_id")
    return _consenting(stays, "client_id")


def _nights(definition):
    """Nights of the stay inside the period (an open stay: up to today)."""
    day = timedelta(days=1)
    until = Value(min(definition.period_to + day, timezone.localdate() + day), DateField())
    end = Case(
        When(discharged_on__isnull=True, then=until),
        default=Least(F("discharged_on"), Value(definition.period_to + day, DateField())),
        output_field=DateField(),
    )
    start = Greatest(F("admitted_on"), Value(definition.period_from, DateField()))
    return Greatest(DaysBetween(end, start), Value(0))


def _calls(definition):
    start, end = _bounds(definition)
    calls = HotlineCall.objects.filter(started_at__gte=start, started_at__lt=end)
    return _in_branches(calls, definition, "branch_id")


def _case_day(definition):
    return _reference_day(definition)


def _stay_kind(key, weight=None):
    return UnitKind(
        _stays, key, "client", "case_id", lambda d: F("admitted_on"), "shelter__branch_id", weight
    )


KINDS: dict[str, UnitKind] = {
    WOMEN: UnitKind(_women, WOMEN, "client", "pk", _case_day, "branch_id", women=True),
    "cases": UnitKind(_cases, "cases", "client", "pk", _case_day, "branch_id"),
    "sessions": UnitKind(
        _sessions,
        "sessions",
        "case__client",
        "case_id",
        lambda d: TruncDate("started_at"),
        "case__branch_id",
    ),
    "referrals": UnitKind(
        _referrals,
        "referrals",
        "case__client",
        "case_id",
        lambda d: F("sent_on"),
        "case__branch_id",
    ),
    "stays": _stay_kind("stays"),
    "bed_nights": _stay_kind("bed_nights", _nights),
    "children": _stay_kind("children", lambda d: F("children_count")),
    "calls": UnitKind(_calls, "calls", "", None, lambda d: TruncDate("started_at"), "branch_id"),
}


UNIT_NAMES = {
    WOMEN: "client",
    "cases": "case",
    "sessions": "session",
    "referrals": "referral",
    "stays": "stay",
    "bed_nights": "stay",
    "children": "stay",
    "calls": "call",
}


def unit_queryset(definition, kind: UnitKind, keys: list[str]):
    annotations = {f"d{n}_": _expression(definition, kind, key) for n, key in enumerate(keys)}
    queryset = kind.queryset(definition).annotate(**annotations)
    if kind.weight:
        queryset = queryset.annotate(w_=kind.weight(definition))
    return queryset, list(annotations)


def excluded(definition) -> int:
    """Women of the period and branches without a statistics consent in force."""
    clients = Client.objects.filter(pk__in=_scoped_cases(definition).values("client_id"))
    refused = Q(in_force=False) | Q(in_force__isnull=True)
    return clients.annotate(in_force=_consent("pk")).filter(refused).count()
