"""The registry's version: one row that database triggers move on every statement that writes the registry's
subjects, websites or domains, whatever makes it (the administration's approvals and cancellations, the admin, the
benchmark's fill). The public query page is kept in the cache under it (miit.views.public_query). PostgreSQL only:
on SQLite the page is not kept."""

from django.db import migrations, models

TABLES = ("miit_registrysubject", "miit_registrywebsite", "miit_registrydomain")

# A statement that wrote no row leaves the version as it is.
FUNCTION = """
CREATE OR REPLACE FUNCTION miit_registry_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO miit_registryversion AS v (id, version) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END
$fn$;
"""
TRANSITIONS = {"INSERT": "NEW", "UPDATE": "NEW", "DELETE": "OLD"}


def _triggers():
    for table in TABLES:
        for operation, which in TRANSITIONS.items():
            name = f"{table}_version_{operation.lower()}"
            yield (
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} REFERENCING {which} TABLE AS changed_rows "
                "FOR EACH STATEMENT EXECUTE FUNCTION miit_registry_version_bump()",
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
    schema_editor.execute("DROP FUNCTION IF EXISTS miit_registry_version_bump()")


class Migration(migrations.Migration):
    dependencies = [("miit", "0004_legacy_claimed_by")]

    operations = [
        migrations.CreateModel(
            name="RegistryVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "registry version", "verbose_name_plural": "registry versions"},
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
