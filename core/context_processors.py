from django.conf import settings

from .navigation import nav_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "nav_items": nav_for(user, demo_mode=settings.DEMO_MODE),
        "demo_mode": settings.DEMO_MODE,
        "portal_name": settings.PORTAL_NAME,
        "current_url_name": getattr(getattr(request, "resolver_match", None), "view_name", ""),
    }
