"""Page versions: a counter per account that the database itself moves on every write to what that account's
cached pages show (filings.pagecache). Triggers, not signals: the sweeps' set-based UPDATEs, the administration's
callbacks and the admin write these tables too, and none of them may leave an applicant a stale page.

One statement-level trigger per table and operation (PostgreSQL only; on SQLite the pages are not cached): the rows
a statement touched, as a transition table, are mapped to the accounts they belong to, and each of those accounts'
counter goes up by one, in account order (two transactions never wait on each other's counters crosswise)."""

from django.db import migrations, models

# (table, the owning account of a set of its rows ``r``: a SELECT of one column)
WATCHED = [
    ("filings_filingorder", "SELECT r.applicant_id FROM {rows} r"),
    ("filings_subjectapplication", "SELECT o.applicant_id FROM {rows} r JOIN filings_filingorder o ON o.id = r.order_id"),
    ("filings_websiteapplication", "SELECT o.applicant_id FROM {rows} r JOIN filings_filingorder o ON o.id = r.order_id"),
    ("filings_personapplication", "SELECT o.applicant_id FROM {rows} r JOIN filings_filingorder o ON o.id = r.order_id"),
    ("filings_fieldremark", "SELECT o.applicant_id FROM {rows} r JOIN filings_filingorder o ON o.id = r.order_id"),
    ("filings_orderevent", "SELECT o.applicant_id FROM {rows} r JOIN filings_filingorder o ON o.id = r.order_id"),
    (
        "filings_domainapplication",
        "SELECT o.applicant_id FROM {rows} r JOIN filings_websiteapplication w ON w.id = r.website_id"
        " JOIN filings_filingorder o ON o.id = w.order_id",
    ),
    ("subjects_subject", "SELECT r.owner_id FROM {rows} r"),
    ("notifications_inboxmessage", "SELECT r.user_id FROM {rows} r"),
    ("accounts_user", "SELECT r.id FROM {rows} r"),
]

FUNCTION = """
CREATE OR REPLACE FUNCTION filings_page_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE 'INSERT INTO filings_pageversion AS v (user_id, version) '
        || 'SELECT owner, 1 FROM (' || TG_ARGV[0] || ') AS changed(owner) '
        || 'WHERE owner IS NOT NULL GROUP BY owner ORDER BY owner '
        || 'ON CONFLICT (user_id) DO UPDATE SET version = v.version + 1';
    RETURN NULL;
END
$fn$;
"""


def _literal(sql: str) -> str:
    return "'" + sql.replace("'", "''") + "'"


def _triggers():
    for table, owners in WATCHED:
        transitions = {
            "INSERT": ("REFERENCING NEW TABLE AS new_rows", "new_rows"),
            "UPDATE": (
                "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)",
            ),
            "DELETE": ("REFERENCING OLD TABLE AS old_rows", "old_rows"),
        }
        for operation, (referencing, rows) in transitions.items():
            if table == "accounts_user" and operation == "DELETE":
                continue  # an account gone has no pages left to show
            name = f"{table}_pv_{operation.lower()}"
            yield (
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} {referencing} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION filings_page_versions_bump({_literal(owners.format(rows=rows))})",
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
            )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for create, _drop in _triggers():
        schema_editor.execute(create)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _create, drop in _triggers():
        schema_editor.execute(drop)
    schema_editor.execute("DROP FUNCTION IF EXISTS filings_page_versions_bump()")


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0008_held_orders_index"),
        ("notifications", "0003_outbox_event_index_without_pattern_copy"),
        ("subjects", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PageVersion",
            fields=[
                ("user_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "page version", "verbose_name_plural": "page versions"},
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
