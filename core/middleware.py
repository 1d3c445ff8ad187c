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
