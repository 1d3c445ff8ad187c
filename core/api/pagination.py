from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """``?page=2&page_size=50``: 20 by default, at most 100. A page past the end answers 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
