"""The supervisors' dashboard: queue sizes, the oldest order of each queue, what is overdue, breaches and each
reviewer's decisions per day."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from core import clock

from ..selectors import dashboard as selectors
from .access import supervisor_required


@supervisor_required
@require_GET
def dashboard(request):
    now = clock.now()
    days, rows = selectors.reviewer_rows(now)
    context = {
        "now": now,
        "summaries": selectors.queue_summaries(now),
        "days": days,
        "reviewer_rows": rows,
        "overdue": selectors.overdue_orders(now),
        "breaches": selectors.breach_counts(now),
    }
    return render(request, "reviews/dashboard.html", context)


urlpatterns = [path("dashboard/", dashboard, name="dashboard")]
