"""The only module that sees every app (DESIGN.md)."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("captcha/", include("captcha.urls")),
    path("regions/", include("regions.urls")),
    path("", include("core.urls")),
    path("", include("websites.urls")),
    path("filing/", include("filings.urls")),
    path("review/", include("reviews.urls")),
    path("notifications/", include("notifications.urls")),
    path("miit/", include("miit.urls")),
    path("api/", include("icpfiling.api_urls")),
    path("admin/", admin.site.urls),
]
