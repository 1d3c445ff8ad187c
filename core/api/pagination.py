from collections.abc import Callable
from functools import partial

from rest_framework.pagination import PageNumberPagination

from core.paging import CountedPaginator


class PagePagination(PageNumberPagination):
    """``?page=2&page_size=50``: 20 by default, at most 100. A page past the end answers 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CountedPagePagination(PagePagination):
    """``PagePagination`` (same parameters, same answers) for rows counted by the caller: counting the list's own
    query compiles its joins and annotations for a number a plain ``COUNT`` gives (docs/performance.md, fix 10).
    The count must be exact here, so a page past the end is still a 404."""

    def paginate_counted(self, rows, request, *, count: Callable[[], int]) -> list:
        self.django_paginator_class = partial(CountedPaginator, count=count)
        return self.paginate_queryset(rows, request)
