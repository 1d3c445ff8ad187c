"""Forgetting cached values when what they were computed from changes."""

from django.core.cache import cache
from django.db import transaction


def forget(keys, *, after_commit: bool = True) -> None:
    """Drop ``keys`` now and, unless told otherwise, again after the transaction commits: a request that read the
    old rows just before the commit cannot then keep its stale value in the cache."""
    keys = list(keys)
    if not keys:
        return
    cache.delete_many(keys)
    if after_commit:
        transaction.on_commit(lambda: cache.delete_many(keys))
