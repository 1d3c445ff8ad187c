"""The signed-in account as every request reads it: the user's row, the names of its roles, and what other apps ask
to read with it, in one statement written in SQL (docs/performance.md, fix 32).

Every signed-in request needs the account (the session's backend, ``accounts.backends``, or the API's token,
``accounts.tokens``) and its roles (the navigation, the second-factor rule, the permissions); the pages kept in the
cache need the account's page version too (``filings.pagecache``). Read one by one, that was the ORM building and
compiling a query, a cache read and another statement. Here it is one statement on PostgreSQL: the roles come from
the database at every request, as fresh as the row, and an app adds a scalar subquery of its own with
``read_with_account`` (from its ``AppConfig.ready``), found afterwards on the user as an attribute.

Elsewhere (SQLite, for ``make run``) the statement reads the row only; the roles then come from their cache
(``accounts.roles``) and the extras are not set, so their readers ask for them the usual way.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

# attribute -> SQL scalar subquery, "{user}" standing for the account's id column.
_extras: dict[str, str] = {}


def read_with_account(attribute: str, subquery: str) -> None:
    """Read ``subquery`` (SQL, a scalar; ``{user}`` stands for the account's id) with the signed-in account at every
    request, and keep its value on the user as ``attribute``. Call it from an ``AppConfig.ready``: the statement is
    made once, at its first use."""
    if attribute in _extras and _extras[attribute] != subquery:
        raise ValueError(f"{attribute} is already read with the account")
    _extras[attribute] = subquery
    _account_columns.cache_clear()
    _account_sql.cache_clear()


def reads_more() -> bool:
    """Whether the account's statement also reads the roles and the extras (PostgreSQL)."""
    return connection.vendor == "postgresql"


@functools.cache
def _account_columns(alias: str, more: bool) -> tuple[str, tuple[str, ...]]:
    """The select list of the account read as table ``alias`` and the attributes of the columns after its
    fields. No value in it: identifiers come from the models' metadata, quoted, and the extras from code."""
    user_model = get_user_model()
    quote = connection.ops.quote_name
    columns = [f"{alias}.{quote(field.column)}" for field in user_model._meta.concrete_fields]
    attributes: list[str] = []
    if more:
        user_id = f"{alias}.{quote(user_model._meta.pk.column)}"
        through = user_model.groups.through._meta
        member = quote(through.get_field(user_model._meta.model_name).column)
        group = quote(through.get_field("group").column)
        columns.append(
            f"ARRAY(SELECT g.{quote('name')} FROM {quote(through.db_table)} m "  # noqa: S608 (no value: see above)
            f"JOIN {quote(Group._meta.db_table)} g ON g.{quote(Group._meta.pk.column)} = m.{group} "
            f"WHERE m.{member} = {user_id})"
        )
        attributes.append("_role_names")
        for attribute, subquery in sorted(_extras.items()):
            columns.append(f"({subquery.format(user=user_id)})")
            attributes.append(attribute)
    return ", ".join(columns), tuple(attributes)


def account_columns(alias: str) -> str:
    """What to select to read the account as table ``alias`` (give the row to ``account_from_row``)."""
    return _account_columns(alias, reads_more())[0]


def converted(fields, values) -> list:
    """``values`` as the ORM hands them over: each field's and the backend's converters (SQLite's dates and booleans,
    say; none on PostgreSQL for these columns)."""
    out = []
    for field, value in zip(fields, values, strict=True):
        for converter in connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(connection):
            value = converter(value, field.cached_col, connection)
        out.append(value)
    return out


def account_from_row(values):
    """The user of a row read with ``account_columns``, its roles and extras set on it."""
    user_model = get_user_model()
    fields = user_model._meta.concrete_fields
    user = user_model.from_db(
        connection.alias, [field.attname for field in fields], converted(fields, values[: len(fields)])
    )
    attributes = _account_columns("u", reads_more())[1]  # the same whatever the alias
    for attribute, value in zip(attributes, values[len(fields) :], strict=True):
        setattr(user, attribute, frozenset(value) if attribute == "_role_names" else value)
    return user


@functools.cache
def _account_sql(more: bool) -> str:
    user_model = get_user_model()
    quote = connection.ops.quote_name
    return (
        f"SELECT {_account_columns('u', more)[0]} FROM {quote(user_model._meta.db_table)} u "  # noqa: S608 (see above)
        f"WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )


def account_by_id(user_id):
    """The account of ``user_id`` with its roles and extras, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_account_sql(reads_more()), [user_id])
        row = cursor.fetchone()
    return None if row is None else account_from_row(row)
