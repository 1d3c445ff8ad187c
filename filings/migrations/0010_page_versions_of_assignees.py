"""An order's page version moves for the reviewer who holds it too (before and after the write): the review queue
keeps a reviewer's page for a few seconds (reviews.views.queues), and a claim or a release of one's own must show on
the next view of it (filings.pagecache)."""

from django.db import migrations

OWNERS = "SELECT r.applicant_id FROM {rows} r UNION ALL SELECT r.assignee_id FROM {rows} r"
OWNERS_BEFORE = "SELECT r.applicant_id FROM {rows} r"
TRANSITIONS = {
    "INSERT": ("REFERENCING NEW TABLE AS new_rows", "new_rows"),
    "UPDATE": (
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)",
    ),
    "DELETE": ("REFERENCING OLD TABLE AS old_rows", "old_rows"),
}


def _literal(sql: str) -> str:
    return "'" + sql.replace("'", "''") + "'"


def _replace(schema_editor, owners: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for operation, (referencing, rows) in TRANSITIONS.items():
        name = f"filings_filingorder_pv_{operation.lower()}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON filings_filingorder")
        schema_editor.execute(
            f"CREATE TRIGGER {name} AFTER {operation} ON filings_filingorder {referencing} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION filings_page_versions_bump({_literal(owners.format(rows=rows))})"
        )


def forwards(apps, schema_editor):
    _replace(schema_editor, OWNERS)


def backwards(apps, schema_editor):
    _replace(schema_editor, OWNERS_BEFORE)


class Migration(migrations.Migration):
    dependencies = [("filings", "0009_page_versions")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
