"""``core.compiled``: a queryset compiled once, run with other values each time, gives what the queryset gives."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from core.compiled import compiled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

built = []


def _joined_before(email_domain: str, moment, first_id) -> object:
    built.append(email_domain)
    return (
        get_user_model()
        .objects.filter(email__endswith=email_domain, date_joined__lt=moment, pk__gte=first_id)
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _run(*fixed, **values) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(*compiled(_joined_before, *fixed, **values))
        return [row[0] for row in cursor.fetchall()]


def test_a_compiled_query_gives_what_its_queryset_gives_for_every_value():
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    users = [UserFactory(email=f"u{i}@one.example", date_joined=start + timedelta(days=i)) for i in range(4)] + [
        UserFactory(email="u@two.example", date_joined=start)
    ]
    built.clear()
    for domain, moment, first in [
        ("@one.example", start + timedelta(days=2), users[0].pk),
        ("@one.example", start + timedelta(days=4), users[1].pk),
        ("@one.example", start, users[0].pk),
        ("@two.example", start + timedelta(days=1), users[0].pk),
    ]:
        expected = list(_joined_before(domain, moment, first))
        assert _run(domain, moment=moment, first_id=first) == expected
    assert _run("@one.example", moment=start + timedelta(days=4), first_id=users[1].pk) == [
        "u1@one.example",
        "u2@one.example",
        "u3@one.example",
    ]
    # Built once per fixed argument (the domain) by the compiled runs, once per run by the comparisons above.
    assert built.count("@one.example") == 3 + 1
    assert built.count("@two.example") == 1 + 1


def test_a_lock_clause_is_compiled_inside_the_transaction_that_runs_it():
    user = UserFactory()

    def locked(user_id):
        return get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk")

    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = compiled(locked, user_id=user.pk)
        cursor.execute(sql, params)
        assert cursor.fetchone() == (user.pk,)
    assert ("FOR UPDATE" in sql) == connection.features.has_select_for_update


def test_only_moments_and_ids_can_stand_for_values():
    with pytest.raises(TypeError, match="only moments and ids"):
        compiled(_joined_before, "@one.example", moment="2026-03-02", first_id=1)
