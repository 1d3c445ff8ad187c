import contextlib
import functools
import ipaddress

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SessionLocaleMiddleware:
    """Chinese unless the person chose otherwise in this browser session.

    Django's LocaleMiddleware would follow the browser's Accept-Language; the portal is Chinese by default and
    switches only when asked (the language cookie that ``set_language`` writes lives for the browser session).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        # Scoped to this request: the thread goes back to what it had (a worker thread serves other people next).
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


@functools.lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _in(value: str, networks) -> bool:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return False
    return any(address in network for network in networks)


class TrustedProxyMiddleware:
    """The client's address behind the proxies we run, in ``REMOTE_ADDR`` for everything that reads it (the sign-in
    lock-out, the public pages' rate limits, the API's throttles, the ID lookup's audit, the materials' access log).

    ``X-Forwarded-For`` is the client's to invent, so it is believed only when the request comes from a proxy listed
    in ``TRUSTED_PROXIES`` (addresses or networks; empty by default: ``REMOTE_ADDR`` as the socket gives it). Each
    proxy appends the address it received the request from, so the client is the right-most address that is not one
    of ours; anything further left was written by the client and is ignored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
        if forwarded and trusted and _in(request.META.get("REMOTE_ADDR", ""), trusted):
            hops = [hop.strip() for hop in forwarded.split(",")]
            client = next((hop for hop in reversed(hops) if not _in(hop, trusted)), "")
            # All hops ours, or a malformed one: keep the proxy's own address rather than trust text.
            with contextlib.suppress(ValueError):
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(client))
        return self.get_response(request)
