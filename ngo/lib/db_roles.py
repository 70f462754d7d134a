"""The two PostgreSQL roles: an owner that migrates, a runtime role that owns nothing.

A role that owns a table can TRUNCATE it, disable its triggers and drop it, so
no trigger protects a table from its owner. The application therefore runs as a
role that owns nothing and holds only the rights granted here, after every
`migrate`, by the owner.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from psycopg import sql


class RoleError(ImproperlyConfigured):
    pass


def connect_as_owner(connection, owner: dict) -> None:
    """Reconnect `connection` with the owner's user and password (same database)."""
    connection.close()
    connection.settings_dict.update(USER=owner["USER"], PASSWORD=owner["PASSWORD"])


def _check_runtime_role(cursor, role: str) -> None:
    cursor.execute(
        "SELECT rolsuper, rolbypassrls, pg_has_role(%s, current_user, 'MEMBER')"
        " FROM pg_roles WHERE rolname = %s",
        [role, role],
    )
    row = cursor.fetchone()
    if row is None:
        raise RoleError(f"HAMKKE_RUNTIME_DB_ROLE names role {role!r}, which does not exist.")
    superuser, bypass_rls, member_of_owner = row
    if superuser or bypass_rls:
        raise RoleError(f"The runtime role {role!r} must not be a superuser.")
    if member_of_owner:
        raise RoleError(f"The runtime role {role!r} must not be the owner role nor a member of it.")
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relowner = (SELECT oid FROM pg_roles"
        " WHERE rolname = %s) ORDER BY c.relname",
        [role],
    )
    owned = [name for (name,) in cursor.fetchall()]
    if owned:
        raise RoleError(
            f"The runtime role {role!r} owns {', '.join(owned)}; give them to the owner "
            f"(REASSIGN OWNED BY {role} TO <owner>) and migrate again."
        )


def grant_runtime_privileges(connection, *, role: str, insert_only: Iterable[str]) -> None:
    """Grant `role` read and write on every table of the current schema, SELECT and
    INSERT only on the `insert_only` tables, nothing else; the same for tables that
    later migrations create (default privileges). Idempotent; PostgreSQL only; run
    as the role that owns the tables."""
    who = sql.Identifier(role)
    insert_only = sorted(set(insert_only))
    with connection.cursor() as cursor:
        _check_runtime_role(cursor, role)
        cursor.execute("SELECT current_schema()")
        schema = sql.Identifier(cursor.fetchone()[0])
        statements = [
            "REVOKE CREATE ON SCHEMA {schema} FROM {who}",
            "GRANT USAGE ON SCHEMA {schema} TO {who}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
            "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {who}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
            "REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA {schema} FROM {who}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
            " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
            " REVOKE TRUNCATE, REFERENCES, TRIGGER ON TABLES FROM {who}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {who}",
        ]
        for statement in statements:
            cursor.execute(sql.SQL(statement).format(schema=schema, who=who))
        for table in insert_only:
            cursor.execute(
                sql.SQL("REVOKE UPDATE, DELETE ON {table} FROM {who}").format(
                    table=sql.Identifier(table), who=who
                )
            )


def can_rewrite(connection, tables: Iterable[str]) -> list[str]:
    """The `tables` this connection's role could rewrite: it is a superuser, owns
    the table (and so can truncate it or disable its triggers), or may UPDATE,
    DELETE or TRUNCATE it. Empty on SQLite, which has no roles."""
    if connection.vendor != "postgresql":
        return []
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                " OR pg_has_role(current_user, c.relowner, 'USAGE')"
                " OR has_table_privilege(c.oid, 'UPDATE, DELETE, TRUNCATE, TRIGGER')"
                " FROM pg_class c WHERE c.oid = to_regclass(%s)",
                [table],
            )
            row = cursor.fetchone()
            if row is None or row[0]:
                found.append(table)
    return found
