"""The published schema (drf-spectacular): every operation lists the errors it can answer, in the one error format,
so clients and schemathesis know every status code to expect."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from .pagination import PagePagination


class FieldProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """The API's one error format (docs/api.md)."""

    code = serializers.CharField(help_text="Stable, for machines: invalid, not_found, not_authenticated, …")
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(
        child=FieldProblemSerializer(many=True),
        help_text="Dotted input paths (websites.0.name) and their problems; empty for the request as a whole.",
    )


ERROR_DESCRIPTIONS = {
    "400": "The input is not valid: see `fields`.",
    "401": "Not signed in: send `Authorization: Token <key>` or a session cookie.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such resource for this caller (another account's resources answer the same).",
    "409": "Refused in the resource's current state: see `code` and `message`.",
    "429": "Too many requests: wait for `Retry-After` seconds.",
    "503": "The administration's registry cannot be reached at the moment.",
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class PortalAutoSchema(AutoSchema):
    """Adds the error responses an operation can give (the view may name more in ``error_statuses``), and tags each
    operation by its part of the API (the path's first segment after the version)."""

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False) -> str:
        """A serializer nested in a view (``InstanceBuyApi.InputSerializer``) is named after the view
        (``InstanceBuyInput``), so the views' many ``InputSerializer``s get distinct components."""
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        parts = type(serializer).__qualname__.split(".")
        if len(parts) < 2 or "<locals>" in parts:
            return name
        base = parts[-1].removesuffix("Serializer")
        prefix = "".join(part.removesuffix("Api").removesuffix("Serializer") for part in parts[:-1])
        return name.replace(base, prefix + base, 1) if base in name else name

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        filters = getattr(self.view, "filter_serializer_class", None)
        if filters is not None and self.method == "GET":
            parameters.append(filters)
        return parameters

    def get_tags(self) -> list[str]:
        return list(getattr(self.view, "schema_tags", None) or super().get_tags())

    def _error_statuses(self) -> set[str]:
        view = self.view
        statuses = {"429"} if view.get_throttles() else set()
        if not all(isinstance(p, AllowAny) for p in view.get_permissions()):
            statuses |= {"401", "403"}
        if self.method in WRITE_METHODS or self._has_query_parameters() or self.method == "PATCH":
            statuses.add("400")
        if "{" in self.path or self._paginated():
            statuses.add("404")
        statuses |= {str(code) for code in getattr(view, "error_statuses", ())}
        return statuses

    def _paginated(self) -> bool:
        pagination = getattr(self.view, "pagination_class", None)
        return self.method == "GET" and pagination is not None and issubclass(pagination, PagePagination)

    def _has_query_parameters(self) -> bool:
        return bool(getattr(self.view, "filter_serializer_class", None)) or self._paginated()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in sorted(self._error_statuses()):
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS.get(code, "")
                responses[code] = response
        return responses
