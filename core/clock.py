"""The settable clock every deadline reads.

Real time by default. The administration simulator and the tests move it (``advance``) or stop it (``freeze``);
the setting is one database row, mirrored in the shared cache so that reading the time costs no query and every
process — web, worker, beat — sees the same moment.
"""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

_CACHE_KEY = "core:clock:v1"


def _load() -> tuple[float, datetime | None]:
    state = cache.get(_CACHE_KEY)
    if state is None:
        from .models import ClockSetting

        row = ClockSetting.objects.filter(pk=1).first()
        state = (row.offset_seconds, row.frozen_at) if row else (0.0, None)
        cache.set(_CACHE_KEY, state, timeout=None)
    return state


def _store(*, offset_seconds: float, frozen_at: datetime | None) -> None:
    from .models import ClockSetting

    ClockSetting.objects.update_or_create(pk=1, defaults={"offset_seconds": offset_seconds, "frozen_at": frozen_at})
    cache.set(_CACHE_KEY, (offset_seconds, frozen_at), timeout=None)


def setting() -> tuple[float, datetime | None]:
    """How the clock is set: (seconds ahead of real time, the moment it stands still at or None). Moving the clock
    changes it: what is kept for the clock's present (a page showing the days left) is kept under it."""
    return _load()


def now() -> datetime:
    """The current moment on the portal's clock (aware, UTC)."""
    offset, frozen_at = _load()
    if frozen_at is not None:
        return frozen_at
    return timezone.now() + timedelta(seconds=offset)


def localnow() -> datetime:
    """The current moment in Asia/Shanghai."""
    return timezone.localtime(now())


def today():
    return localnow().date()


def advance(delta: timedelta) -> datetime:
    """Move the clock forward (or back, with a negative delta). A frozen clock stays frozen at the new moment."""
    offset, frozen_at = _load()
    if frozen_at is not None:
        _store(offset_seconds=offset, frozen_at=frozen_at + delta)
    else:
        _store(offset_seconds=offset + delta.total_seconds(), frozen_at=None)
    return now()


def set_to(moment: datetime, *, frozen: bool = False) -> datetime:
    """Make ``moment`` the current time: frozen there, or running on from it."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if frozen:
        _store(offset_seconds=0.0, frozen_at=moment)
    else:
        _store(offset_seconds=(moment - timezone.now()).total_seconds(), frozen_at=None)
    return now()


def freeze(moment: datetime | None = None) -> datetime:
    return set_to(moment or now(), frozen=True)


def reset() -> None:
    """Back to real time."""
    _store(offset_seconds=0.0, frozen_at=None)


def forget_cached() -> None:
    """Drop the cached copy (after a database flush, say); the next read loads the row again."""
    cache.delete(_CACHE_KEY)
