"""The caller's account and API token (docs/api.md, "Authentication")."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ApiError

from .second_factor import second_factor_passed
from .tokens import api_token_expires_at, api_token_issue, api_token_revoke

TAGS = ["account"]


class MeApi(APIView):
    schema_tags = TAGS

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        full_name = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        is_provider_staff = serializers.BooleanField()

    @extend_schema(operation_id="me_retrieve", responses=OutputSerializer, summary="Who the caller is")
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "roles": sorted(user.role_names),
            "is_provider_staff": user.is_provider_staff,
        }
        return Response(self.OutputSerializer(data).data)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(source="key", help_text="Send as `Authorization: Token <token>`.")
    created = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True, help_text="Staff tokens only; null: no expiry.")


class TokenCreateApi(APIView):
    """Create the caller's token, replacing any earlier one. Session authentication only (with CSRF): a token cannot
    create tokens. Staff need a session that passed the second factor, and their tokens expire."""

    schema_tags = TAGS
    authentication_classes = [SessionAuthentication]

    @extend_schema(operation_id="auth_token_create", request=None, responses={201: TokenOutput})
    def post(self, request):
        user = request.user
        if user.is_provider_staff and not second_factor_passed(request._request, user):
            raise ApiError(
                "second_factor_required",
                _("Staff create API tokens only after signing in with their second factor."),
                status_code=status.HTTP_403_FORBIDDEN,
            )
        token = api_token_issue(user=user)
        token.expires_at = api_token_expires_at(token)
        return Response(TokenOutput(token).data, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    """Revoke the caller's token (with the token itself, or from a session)."""

    schema_tags = TAGS

    @extend_schema(operation_id="auth_token_revoke", request=None, responses={204: None})
    def post(self, request):
        api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
