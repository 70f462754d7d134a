"""The baselines of `manage.py bench`: the raw SQL that returns the same rows as
a page or an export, written by hand against the tables (ids are integers from
the database itself, never input)."""

from __future__ import annotations

import json

from django.apps import apps
from django.db import connection


def _t(label: str) -> str:
    return connection.ops.quote_name(apps.get_model(label)._meta.db_table)


def _ids(values) -> str:
    return ", ".join(str(int(v)) for v in values)


def _agg(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"string_agg({expression}, ', ')"
    return f"group_concat({expression}, ', ')"


def _assigned():
    return _t("counselling.Case").strip('"') + "_assigned"


def busiest_counsellor(branch_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.user_id FROM {_assigned()} a JOIN {_t('counselling.Case')} c"
            f" ON c.id = a.case_id JOIN {_t('accounts.User')} u ON u.id = a.user_id"
            " WHERE c.branch_id = %s AND c.status <> 'closed' AND u.role = 'counsellor'"
            " GROUP BY a.user_id ORDER BY COUNT(*) DESC, a.user_id LIMIT 1",
            [branch_id],
        )
        return cursor.fetchone()[0]


def case_list(branch_ids, *, status, user_id=None, risk=None, case_type=None) -> list:
    """The 50 newest cases of the list with the total, in one SELECT."""
    where = [f"c.branch_id IN ({_ids(branch_ids)})", "c.status = %s"]
    params: list = [status]
    if user_id is not None:
        where.append(
            f"(c.restricted = %s OR c.id IN (SELECT case_id FROM {_assigned()} WHERE user_id = %s))"
        )
        params += [False, user_id]
    if risk:
        where.append("c.risk_level = %s")
        params.append(risk)
    if case_type and connection.vendor == "postgresql":
        where.append("c.case_types @> %s::jsonb")
        params.append(json.dumps([case_type]))
    elif case_type:
        where.append("CAST(c.case_types AS TEXT) LIKE %s")
        params.append(f'%"{case_type}"%')
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.case_types, c.status, c.risk_level, c.opened_on, c.closed_on,"
            " c.closure_reason, c.restricted, c.updated_at, cl.id, cl.case_code,"
            " cl.name_original, cl.name_romanised, b.code, COUNT(*) OVER (),"
            f" (SELECT {_agg('u.full_name')} FROM {_assigned()} a"
            f" JOIN {_t('accounts.User')} u ON u.id = a.user_id WHERE a.case_id = c.id)"
            f" FROM {_t('counselling.Case')} c"
            f" JOIN {_t('counselling.Client')} cl ON cl.id = c.client_id"
            f" JOIN {_t('accounts.Branch')} b ON b.id = c.branch_id"
            f" WHERE {' AND '.join(where)} ORDER BY c.opened_on DESC, c.id DESC LIMIT 50",
            params,
        )
        return cursor.fetchall()


def case_with_sessions(counsellor_id: int, branch_id: int, wanted: int) -> tuple[int, int, int]:
    """A case of hers, not restricted, with about `wanted` sessions."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.client_id, COUNT(s.id) AS n FROM {_t('counselling.Case')} c"
            f" JOIN {_assigned()} a ON a.case_id = c.id"
            f" JOIN {_t('counselling.CounsellingSession')} s ON s.case_id = c.id"
            " WHERE a.user_id = %s AND c.branch_id = %s AND c.restricted = %s"
            " GROUP BY c.id, c.client_id ORDER BY ABS(COUNT(s.id) - %s), c.id LIMIT 1",
            [counsellor_id, branch_id, False, wanted],
        )
        return cursor.fetchone()


def case_rows(case_id: int, client_id: int) -> int:
    """Every row the case page shows, one SELECT per kind."""
    statements = [
        (
            f"SELECT c.*, cl.* FROM {_t('counselling.Case')} c"
            f" JOIN {_t('counselling.Client')} cl ON cl.id = c.client_id WHERE c.id = %s",
            [case_id],
        ),
        (
            f"SELECT * FROM {_t('counselling.CounsellingSession')} WHERE case_id = %s"
            " ORDER BY started_at DESC",
            [case_id],
        ),
        (
            f"SELECT * FROM {_t('counselling.CaseActivity')} WHERE case_id = %s"
            " OR (client_id = %s AND case_id IS NULL) ORDER BY occurred_at DESC, id DESC LIMIT 50",
            [case_id, client_id],
        ),
        (f"SELECT * FROM {_t('counselling.CaseEvent')} WHERE case_id = %s", [case_id]),
        (f"SELECT * FROM {_t('counselling.RiskAssessment')} WHERE case_id = %s", [case_id]),
        (f"SELECT * FROM {_t('counselling.Referral')} WHERE case_id = %s", [case_id]),
        (f"SELECT * FROM {_t('counselling.Document')} WHERE client_id = %s", [client_id]),
        (f"SELECT * FROM {_t('counselling.Consent')} WHERE client_id = %s", [client_id]),
    ]
    rows = 0
    with connection.cursor() as cursor:
        for statement, params in statements:
            cursor.execute(statement, params)
            rows += len(cursor.fetchall())
    return rows


def count_cases(branch_ids) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {_t('counselling.Case')} WHERE branch_id IN ({_ids(branch_ids)})"
        )
        return cursor.fetchone()[0]


def case_export_copy(branch_ids) -> str:
    return (
        "SELECT c.id, cl.case_code, cl.name_original, cl.name_romanised, b.code,"
        " c.case_types, c.status, c.risk_level,"
        f" (SELECT {_agg('u.full_name')} FROM {_assigned()} a"
        f" JOIN {_t('accounts.User')} u ON u.id = a.user_id WHERE a.case_id = c.id),"
        " c.opened_on, c.closed_on, c.closure_reason, c.restricted"
        f" FROM {_t('counselling.Case')} c"
        f" JOIN {_t('counselling.Client')} cl ON cl.id = c.client_id"
        f" JOIN {_t('accounts.Branch')} b ON b.id = c.branch_id"
        f" WHERE c.branch_id IN ({_ids(branch_ids)}) ORDER BY c.opened_on DESC, c.id DESC"
    )


def recommendation_copy() -> str:
    return (
        "SELECT r.id, r.source, m.code, r.document_symbol, r.paragraph, r.issued_on, r.text,"
        " r.recommending_states, r.position, r.current_status, r.current_status_on,"
        " r.uhri_annotation_id"
        f" FROM {_t('policy_monitor.Recommendation')} r"
        f" LEFT JOIN {_t('policy_monitor.Mechanism')} m ON m.id = r.mechanism_id ORDER BY r.id"
    )


def copy_out(select: str) -> int:
    """Rows written by PostgreSQL's COPY of `select` as CSV (read and dropped);
    on SQLite, rows read by the same SELECT."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ({select}) TO STDOUT WITH (FORMAT csv)") as copy:
                for _block in copy:
                    pass
            return cursor.cursor.rowcount
        cursor.execute(select)
        return sum(1 for _row in cursor)


def statistics_by_branch_and_year(period_from, period_to) -> list[list[tuple]]:
    """Consenting women, their cases and sessions by branch and year, the same
    rule as a shadow-report dataset (newest statistics consent a yes; cases
    opened or served in the period, dated by their opening or first session;
    a woman by her first case): three GROUP BY statements. PostgreSQL."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    tz = timezone.get_current_timezone()
    start = datetime.combine(period_from, time.min, tzinfo=tz)
    end = datetime.combine(period_to + timedelta(days=1), time.min, tzinfo=tz)
    zone = str(tz)
    cases_cte = (
        "WITH consent AS (SELECT client_id, given FROM (SELECT client_id, given, ROW_NUMBER()"
        " OVER (PARTITION BY client_id ORDER BY recorded_at DESC, id DESC) AS rn"
        f" FROM {_t('counselling.Consent')} WHERE purpose = 'statistics') x WHERE rn = 1),"
        " first_session AS (SELECT case_id, MIN(started_at) AS first_at"
        f" FROM {_t('counselling.CounsellingSession')}"
        " WHERE started_at >= %(start)s AND started_at < %(end)s GROUP BY case_id),"
        " cases AS (SELECT c.id, c.client_id, c.branch_id, c.opened_on,"
        " CASE WHEN c.opened_on BETWEEN %(from)s AND %(to)s THEN c.opened_on"
        " ELSE (fs.first_at AT TIME ZONE %(zone)s)::date END AS ref"
        f" FROM {_t('counselling.Case')} c LEFT JOIN first_session fs ON fs.case_id = c.id"
        " JOIN consent k ON k.client_id = c.client_id AND k.given"
        " WHERE c.opened_on BETWEEN %(from)s AND %(to)s OR fs.case_id IS NOT NULL) "
    )
    statements = (
        "SELECT branch_id, year, COUNT(*) FROM (SELECT DISTINCT ON (client_id) client_id,"
        " branch_id, EXTRACT(YEAR FROM ref) AS year FROM cases"
        " ORDER BY client_id, ref, opened_on DESC, id DESC) w GROUP BY 1, 2",
        "SELECT branch_id, EXTRACT(YEAR FROM ref), COUNT(*) FROM cases GROUP BY 1, 2",
        "SELECT c.branch_id, EXTRACT(YEAR FROM (s.started_at AT TIME ZONE %(zone)s)), COUNT(*)"
        f" FROM {_t('counselling.CounsellingSession')} s JOIN cases c ON c.id = s.case_id"
        " WHERE s.started_at >= %(start)s AND s.started_at < %(end)s GROUP BY 1, 2",
    )
    values = {"start": start, "end": end, "from": period_from, "to": period_to, "zone": zone}
    results = []
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(cases_cte + statement, values)
            results.append(cursor.fetchall())
    return results
