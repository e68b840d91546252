"""The database side of "the application cannot change the audit log" (PostgreSQL).

Two layers:

1. Triggers refuse UPDATE and DELETE of audit entries for every database user
   (cases/migrations/0003) and TRUNCATE for every user but a superuser (privacy/migrations/0003).
   Superusers pass the TRUNCATE trigger because they can disable any trigger anyway, and because
   the test runner empties the database with one TRUNCATE of all tables as one.
2. In production the portal connects as a role that neither owns the tables nor is a superuser
   and holds no UPDATE, DELETE or TRUNCATE right on the audit log (and the ledger). Migrations run
   as the owner. `python manage.py db_app_role_sql` prints the grants for that role; the test
   `tests/privacy/test_audit_immutable.py` applies the same grants to a probe role and shows that
   UPDATE, DELETE and TRUNCATE fail while SELECT and INSERT work.

Retention of audit entries therefore never runs through the portal: see docs/datenschutz.md.

`python manage.py db_roles_setup` (`roles_setup` below) creates the owner and the runtime role on an
existing PostgreSQL and brings their rights to this plan; the Compose stack creates both roles
on the db service's first start (deploy/initdb/10-roles.sh) and its `migrate` step applies the
grants as the owner after every migration (`db_roles_setup --nur-rechte`).
"""

import re
from dataclasses import dataclass
from typing import Any

AUDIT_TABLE = "cases_auditentry"
LEDGER_TABLE = "budgets_ledgerentry"
APPEND_ONLY_TABLES = (AUDIT_TABLE, LEDGER_TABLE)

TRUNCATE_GUARD_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION cases_auditentry_no_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION USING
            MESSAGE = 'audit entries are append-only: TRUNCATE refused',
            ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER cases_auditentry_no_truncate
    BEFORE TRUNCATE ON cases_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION cases_auditentry_no_truncate()
    """,
]
TRUNCATE_GUARD_REMOVE = [
    "DROP TRIGGER IF EXISTS cases_auditentry_no_truncate ON cases_auditentry",
    "DROP FUNCTION IF EXISTS cases_auditentry_no_truncate()",
]

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


# Rights of the runtime role on every table: read and write rows, nothing on the schema itself.
APP_TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
# Attributes neither role may have: each lets a role step around the grants or the triggers.
FORBIDDEN_ATTRIBUTES = {
    "rolsuper": "SUPERUSER",
    "rolcreatedb": "CREATEDB",
    "rolcreaterole": "CREATEROLE",
    "rolreplication": "REPLICATION",
    "rolbypassrls": "BYPASSRLS",
}


def role_name_check(role: str) -> str:
    if not _ROLE_NAME.match(role):
        raise ValueError("Rollenname: nur Kleinbuchstaben, Ziffern und _, höchstens 63 Zeichen.")
    return role


def app_role_grants(role: str, *, owner: str | None = None) -> list[str]:
    """GRANT/REVOKE statements for the portal's restricted runtime role, to run as the owner
    after every migration (new tables need their grants). With `owner`, also the default
    privileges, so that tables and sequences the owner creates later are granted at once."""
    role_name_check(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT {APP_TABLE_RIGHTS} ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    if owner is not None:
        role_name_check(owner)
        statements += [
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            f"GRANT {APP_TABLE_RIGHTS} ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ]
    statements += [
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}" for table in APPEND_ONLY_TABLES
    ]
    return statements


@dataclass(frozen=True)
class RoleSetup:
    """What `roles_setup` works towards. Passwords are needed only for roles it creates (or with
    `reset_passwords`); `grants_only` is the owner's own run after a migration."""

    owner: str
    app: str
    owner_password: str = ""
    app_password: str = ""
    reset_passwords: bool = False
    grants_only: bool = False


def roles_setup(cursor: Any, setup: RoleSetup) -> list[str]:
    """Bring both roles and the runtime role's rights to the plan above; idempotent.

    Returns what it changed, one German line each (empty: nothing to do). Without `grants_only`
    it must run as a superuser (or a role with CREATEROLE that may change the database's owner).
    """
    owner, app = role_name_check(setup.owner), role_name_check(setup.app)
    if owner == app:
        raise ValueError("Eigentümer- und App-Rolle müssen verschiedene Rollen sein.")
    changes: list[str] = []
    if not setup.grants_only:
        for role, password in ((owner, setup.owner_password), (app, setup.app_password)):
            changes += _role_ensure(cursor, role, password, setup.reset_passwords)
        changes += _membership_remove(cursor, member=app, of=owner)
        changes += _ownership_ensure(cursor, owner)
    elif not _role_exists(cursor, app):
        raise ValueError(
            f"Die Rolle {app} gibt es nicht. Legen Sie sie zuerst an "
            "(python manage.py db_roles_setup als Superuser)."
        )
    before = _app_rights(cursor, app, owner)
    for statement in app_role_grants(app, owner=owner):
        cursor.execute(statement)
    after = _app_rights(cursor, app, owner)
    changes += _rights_changes(app, before, after)
    if not setup.grants_only:
        cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [app])
        if cursor.fetchone()[0]:
            cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
            changes.append("Schema public: Recht CREATE für alle Rollen (PUBLIC) entzogen.")
    return changes


def _role_exists(cursor: Any, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def _literal(value: str) -> str:
    # Role statements take no bound parameters; standard_conforming_strings (on since 9.1)
    # makes doubling the quotes the whole escaping.
    if "\x00" in value:
        raise ValueError("Das Passwort enthält ein Nullzeichen.")
    return "'" + value.replace("'", "''") + "'"


def _role_ensure(cursor: Any, role: str, password: str, reset_password: bool) -> list[str]:
    cursor.execute(
        "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
        "FROM pg_roles WHERE rolname = %s",
        [role],
    )
    row = cursor.fetchone()
    if row is None:
        if not password:
            raise ValueError(f"Für die neue Rolle {role} fehlt das Passwort.")
        cursor.execute(
            f"CREATE ROLE {role} LOGIN NOINHERIT "
            + " ".join(f"NO{word}" for word in FORBIDDEN_ATTRIBUTES.values())
            + f" PASSWORD {_literal(password)}"
        )
        return [f"Rolle {role} angelegt (Anmeldung mit Passwort, keine Sonderrechte)."]
    changes = []
    can_login, *attributes = row
    granted = [
        word for word, has in zip(FORBIDDEN_ATTRIBUTES.values(), attributes, strict=True) if has
    ]
    if granted:
        cursor.execute(f"ALTER ROLE {role} " + " ".join(f"NO{word}" for word in granted))
        changes.append(f"Rolle {role}: {', '.join(granted)} entzogen.")
    if not can_login:
        cursor.execute(f"ALTER ROLE {role} LOGIN")
        changes.append(f"Rolle {role}: Anmeldung erlaubt.")
    if reset_password and password:
        cursor.execute(f"ALTER ROLE {role} PASSWORD {_literal(password)}")
        changes.append(f"Rolle {role}: Passwort neu gesetzt.")
    return changes


def _membership_remove(cursor: Any, *, member: str, of: str) -> list[str]:
    """The runtime role must not inherit (or SET ROLE to) the owner's rights."""
    cursor.execute(
        "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = %s AND u.rolname = %s",
        [of, member],
    )
    if cursor.fetchone() is None:
        return []
    cursor.execute(f"REVOKE {of} FROM {member}")
    return [f"Rolle {member}: Mitgliedschaft in {of} entzogen."]


def _ownership_ensure(cursor: Any, owner: str) -> list[str]:
    """The owner role owns the database and everything the portal created in schema public
    (an older setup created them as the superuser)."""
    changes = []
    cursor.execute(
        "SELECT current_database(), pg_get_userbyid(datdba) FROM pg_database "
        "WHERE datname = current_database()"
    )
    database, database_owner = cursor.fetchone()
    if database_owner != owner:
        cursor.execute(f'ALTER DATABASE "{database}" OWNER TO {owner}')
        changes.append(f"Datenbank {database}: Eigentümer jetzt {owner} (vorher {database_owner}).")
    cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [owner])
    if not cursor.fetchone()[0]:
        cursor.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {owner}")
        changes.append(f"Schema public: {owner} darf darin Tabellen anlegen.")
    # Tables and views first: ALTER TABLE takes the sequences of their columns along.
    kinds = (
        (["r", "p", "v", "m"], "TABLE", "Tabellen und Sichten"),
        (["S"], "SEQUENCE", "Sequenzen"),
    )
    for relkinds, keyword, label in kinds:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind::text = ANY(%s) "
            "AND pg_get_userbyid(c.relowner) <> %s AND NOT EXISTS (SELECT 1 FROM pg_depend d "
            "WHERE d.objid = c.oid AND d.deptype = 'e') ORDER BY c.relname",
            [relkinds, owner],
        )
        names = [name for (name,) in cursor.fetchall()]
        for name in names:
            cursor.execute(f'ALTER {keyword} public."{name}" OWNER TO {owner}')
        if names:
            changes.append(f"{len(names)} {label} an {owner} übertragen.")
    cursor.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
        "AND pg_get_userbyid(p.proowner) <> %s AND NOT EXISTS (SELECT 1 FROM pg_depend d "
        "WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY 1",
        [owner],
    )
    functions = [name for (name,) in cursor.fetchall()]
    for function in functions:
        cursor.execute(f"ALTER FUNCTION {function} OWNER TO {owner}")
    if functions:
        changes.append(f"{len(functions)} Funktionen (Trigger) an {owner} übertragen.")
    return changes


def _app_rights(cursor: Any, app: str, owner: str) -> set[tuple[str, str]]:
    """The runtime role's effective rights as (object, right) pairs, for the change report."""
    cursor.execute(
        "SELECT c.relname, p.name FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "CROSS JOIN unnest(%s::text[]) AS p(name) "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') "
        "AND has_table_privilege(%s, c.oid, p.name)",
        [list(TABLE_PRIVILEGES), app],
    )
    rights = {(name, privilege) for name, privilege in cursor.fetchall()}
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'S' "
        "AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(%s, c.oid, 'USAGE') END",
        [app],
    )
    rights |= {(name, "USAGE") for (name,) in cursor.fetchall()}
    cursor.execute(
        "SELECT d.defaclobjtype, a.privilege_type FROM pg_default_acl d "
        "CROSS JOIN LATERAL aclexplode(d.defaclacl) a "
        "WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = %s) "
        "AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = %s)",
        [owner, app],
    )
    kinds = {"r": "Tabellen", "S": "Sequenzen"}
    rights |= {
        (f"(Vorgabe für neue {kinds.get(kind, kind)})", privilege)
        for kind, privilege in cursor.fetchall()
    }
    return rights


def _rights_changes(app: str, before: set, after: set) -> list[str]:
    changes = []
    for verb, pairs in (("erteilt", after - before), ("entzogen", before - after)):
        by_right: dict[str, list[str]] = {}
        for name, privilege in sorted(pairs):
            by_right.setdefault(privilege, []).append(name)
        for privilege, names in sorted(by_right.items()):
            shown = ", ".join(names[:3]) + (
                f" und {len(names) - 3} weitere" if len(names) > 3 else ""
            )
            changes.append(f"Rolle {app}: {privilege} {verb} auf {shown}.")
    return changes


def truncate_guard_install(apps, schema_editor) -> None:
    _run(schema_editor, TRUNCATE_GUARD_INSTALL)


def truncate_guard_remove(apps, schema_editor) -> None:
    _run(schema_editor, TRUNCATE_GUARD_REMOVE)


def _run(schema_editor, statements: list[str]) -> None:
    # SQLite keeps the model-level protection only (see cases/migrations/0003).
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
