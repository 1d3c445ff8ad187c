"""Pagination helpers."""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A paginator told how many items there are, for a list whose own ``COUNT`` would cost more than a number at
    hand (the list's annotations and joins are compiled for the count too; docs/performance.md).

    The number may be a little behind the list (the queue pages' counts are kept for a few seconds): a page still
    shows up to ``per_page`` items, however many the number said there were. ``count`` may be a function giving the
    number, asked only when a page needs it (a page "number" that is not one is refused first)."""

    def __init__(self, object_list, per_page, *, count: int | Callable[[], int], **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count() if callable(self._known_count) else self._known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)
