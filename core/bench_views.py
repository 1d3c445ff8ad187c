"""The benchmarks' reference page: the least a Django page can do here — one row read by primary key, a tiny
template — through the same middleware, server and database as every other page. The load tests divide each page's
throughput by this one's (bench/README.md). Routed only when ``settings.BENCH_BASELINE`` is on."""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
def baseline(request, pk: int):
    # A table every installation has, read the way a page reads its object.
    row = get_object_or_404(ContentType.objects.only("id", "app_label", "model"), pk=pk)
    return render(request, "core/bench_baseline.html", {"row": row})


urlpatterns = [path("bench/baseline/<int:pk>/", baseline, name="bench_baseline")]
