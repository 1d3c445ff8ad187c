from django.conf import settings
from django.urls import path

from . import bench_views, views

app_name = "core"

urlpatterns = [
    path("demo/phone/", views.demo_phone, name="demo_phone"),
]
if settings.BENCH_BASELINE:  # the load tests' reference page (bench/README.md), never on unless asked for
    urlpatterns += bench_views.urlpatterns
