"""Base views: list endpoints are paginated and filtered through a serializer of their query parameters (so a
malformed filter is a 400 with field errors, never a database error); actions are plain ``APIView``s with their own
input and output serializers (STYLE.md)."""

from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .pagination import PagePagination


class FilteredListView(generics.ListAPIView):
    """``get_queryset`` reads ``self.filters()``: the validated query parameters of ``filter_serializer_class``."""

    pagination_class = PagePagination
    filter_serializer_class = None

    def filters(self) -> dict:
        if self.filter_serializer_class is None:
            return {}
        serializer = self.filter_serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return {key: value for key, value in serializer.validated_data.items() if value not in (None, "")}


class NotFoundApi(APIView):
    """Any path under the API that is no endpoint (an id or number that cannot be one): the API's own 404, in its
    error format, for every method — not the site's HTML page."""

    schema = None
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def _not_found(self, request, *args, **kwargs):
        raise NotFound()

    get = post = put = patch = delete = head = options = _not_found
