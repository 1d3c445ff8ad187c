"""Throttles: anonymous callers by address, signed-in ones by account, and stricter scopes for the public ICP query
and the pre-check (docs/api.md). Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (environment:
``API_THROTTLE_*``); ``API_THROTTLE_ENABLED`` off (the schemathesis run) lets every request through."""

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class _Switchable:
    def get_rate(self):
        # Read at call time, not class creation, so a changed setting (tests, the schemathesis run) applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if not getattr(settings, "API_THROTTLE_ENABLED", True):
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonThrottle(_Switchable, AnonRateThrottle):
    scope = "anon"


class UserThrottle(_Switchable, UserRateThrottle):
    scope = "user"


class _ScopedByCaller(_Switchable, SimpleRateThrottle):
    """A scope of its own, counted per account when signed in, else per address."""

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PublicQueryThrottle(_ScopedByCaller):
    scope = "public_query"


class PrecheckThrottle(_ScopedByCaller):
    scope = "precheck"
