"""The outbox rows of many notices in one statement, straight from a query (``services.notify_query``).

``notify_many`` builds a model instance per row, about 150 µs each: too slow for a sweep that ends a hundred
thousand orders. Here the fan-out it does in Python — a row per channel with the address of the moment, the
recipient's language and e-mail preference, a row per active webhook endpoint, the keys ``<key>:u<user>`` and
``<key>:w<endpoint>`` — is one ``INSERT … SELECT`` over the caller's query, and ``ON CONFLICT DO NOTHING`` keeps the
outbox's ``(channel, idempotency_key)`` rule. The rows are the ones ``notify_many`` stores for the same notices
(tests/notifications/test_notify_query.py). Plain SQL that PostgreSQL and SQLite both read; only the JSON
functions differ.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import Expression

from .constants import Channel, OutboxStatus
from .events import EventType
from .models import NotificationPreference, OutboxMessage, WebhookEndpoint

_OUTBOX_FIELDS = (
    "recipient",
    "address",
    "channel",
    "event",
    "context",
    "language",
    "status",
    "attempts",
    "last_error",
    "idempotency_key",
    "due_at",
    "leased_until",
    "created_at",
    "sent_at",
    "provider_reference",
)


def outbox_insert_from(
    *,
    event: EventType,
    source: QuerySet,
    recipient: Expression,
    idempotency_key: Expression,
    context: dict[str, Expression],
    position: Expression,
    webhooks: bool,
    now,
) -> list[int]:
    """Store the rows of ``event`` for every row of ``source``; returns the ids of the rows inserted (a key already
    stored is skipped). The expressions are evaluated on ``source``'s model; ``position`` orders the rows (and so
    their ids) as ``notify_many`` would order the notices."""
    if Channel.SMS in event.channels:
        # Mobile numbers are normalised and checked in Python (core.phone): such events go through notify_many.
        raise ValueError(f"event {event.key!r} has texts: store it with notify_many")
    # Names come quoted from the models, every value is a parameter (the channel positions are our own ints).
    connection = connections[source.db]
    qn = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    User = get_user_model()
    user_id = qn(User._meta.pk.column)

    columns = {"notice_recipient": recipient, "notice_key": idempotency_key, "notice_position": position}
    columns.update({f"notice_c{i}": expression for i, expression in enumerate(context.values())})
    source_sql, params = source.order_by().values(**columns).query.get_compiler(using=source.db).as_sql()
    params = list(params)
    pairs = ", ".join(f"CAST(%s AS text), src.notice_c{i}" for i in range(len(context)))
    params += list(context)
    sql = [
        f"WITH src AS ({source_sql}), notice AS (",
        "SELECT src.notice_recipient AS recipient_id, src.notice_key AS notice_key, src.notice_position AS position,",
        f"{'jsonb_build_object' if postgres else 'json_object'}({pairs}) AS context,",
        "COALESCE(pref.language, %s) AS language,",
        f"u.{qn(User._meta.get_field(User.get_email_field_name()).column)} AS email, pref.email_off AS email_off",
        f"FROM src JOIN {qn(User._meta.db_table)} u ON u.{user_id} = src.notice_recipient",
        f"LEFT JOIN {qn(NotificationPreference._meta.db_table)} pref ON pref.user_id = u.{user_id}",
        ")",
    ]
    params.append(settings.LANGUAGE_CODE)

    outbox = OutboxMessage._meta
    target = ", ".join(qn(outbox.get_field(name).column) for name in _OUTBOX_FIELDS)
    sql += [
        f"INSERT INTO {qn(outbox.db_table)} ({target})",
        "SELECT recipient_id, address, channel, %s, context, language, %s, 0, '', idempotency_key, %s, NULL, %s, NULL,",
        "'' FROM (",
    ]
    stamp = connection.ops.adapt_datetimefield_value(now)
    params += [event.key, OutboxStatus.PENDING, stamp, stamp]

    # One SELECT per channel, then one for the webhooks: the rows notify_many would build, in its order.
    branches = []
    for place, channel in enumerate(event.channels):
        address, where = "''", ""
        if channel == Channel.EMAIL:
            address, where = "n.email", " WHERE COALESCE(n.email, '') <> ''"
            if not event.mandatory:
                where += (
                    " AND NOT COALESCE(n.email_off @> jsonb_build_array(CAST(%s AS text)), false)"
                    if postgres
                    else " AND NOT EXISTS (SELECT 1 FROM json_each(n.email_off) WHERE json_each.value = %s)"
                )
        branches.append(
            f"SELECT n.recipient_id, n.context, n.language, n.position, {address} AS address,"  # noqa: S608
            " CAST(%s AS text) AS channel, n.notice_key || ':u' || CAST(n.recipient_id AS text) AS idempotency_key,"
            f" {place} AS channel_position, 0 AS endpoint_id FROM notice n{where}"
        )
        params += [channel, event.key] if "%s" in where else [channel]
    if webhooks:
        branches.append(
            "SELECT n.recipient_id, n.context, n.language, n.position, CAST(e.id AS text) AS address,"  # noqa: S608
            " CAST(%s AS text) AS channel, n.notice_key || ':w' || CAST(e.id AS text) AS idempotency_key,"
            f" {len(event.channels)} AS channel_position, e.id AS endpoint_id FROM notice n"
            f" JOIN {qn(WebhookEndpoint._meta.db_table)} e ON e.owner_id = n.recipient_id AND e.active"
        )
        params.append(Channel.WEBHOOK)
    sql += [
        " UNION ALL ".join(branches),
        # WHERE: SQLite reads the ON of ON CONFLICT as a join's without it.
        ") AS fanned WHERE 1 = 1 ORDER BY position, channel_position, endpoint_id",
        "ON CONFLICT DO NOTHING RETURNING id",
    ]
    with connection.cursor() as cursor:
        cursor.execute("\n".join(sql), params)
        return [row[0] for row in cursor.fetchall()]
