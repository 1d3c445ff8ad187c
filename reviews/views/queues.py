"""The queue pages: one queue's orders with filters and counts per queue, "claim next", and the reviewer's own
orders. htmx refreshes the list in place; without JavaScript the page works the same."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import clock
from core.paging import CountedPaginator
from filings.errors import OrderError

from .. import conf, services
from ..constants import CLAIMABLE_QUEUES, Queue
from ..forms import QueueFilterForm
from ..selectors import queues as selectors
from ..selectors.queues import QueueFilters
from .access import reviewer_required


def _queue_or_404(queue: str) -> Queue:
    try:
        return Queue(queue)
    except ValueError:
        raise Http404 from None


def _queue_context(request, queue: Queue) -> dict:
    now = clock.now()
    form = QueueFilterForm(request.GET or None, provinces=selectors.provinces(), reviewers=selectors.reviewer_choices())
    filters = form.filters()
    orders = selectors.queue_orders(queue, filters, viewer=request.user, now=now)
    counts = selectors.queue_counts_recent(now)
    if filters == QueueFilters():
        # Unfiltered, the list is the whole queue: its size is in the counts already.
        paginator = CountedPaginator(orders, conf.get("PAGE_SIZE"), count=counts[queue.value]["total"])
    else:
        paginator = Paginator(orders, conf.get("PAGE_SIZE"))
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.with_sla(page.object_list, now)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "queue": queue,
        "queues": [(q, counts[q.value]) for q in Queue],
        "count": counts[queue.value],
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "claimable": queue in CLAIMABLE_QUEUES,
        "now": now,
    }


@reviewer_required
@require_GET
def queue_list(request, queue: str = Queue.INITIAL.value):
    queue = _queue_or_404(queue)
    context = _queue_context(request, queue)
    if request.htmx and request.htmx.target == "queue-table":
        return render(request, "reviews/_queue_table.html", context)
    held = list(selectors.held_by(request.user))
    context.update({"held": held, "held_count": len(held), "max_claims": conf.get("MAX_CLAIMS")})
    return render(request, "reviews/queue.html", context)


@reviewer_required
@require_POST
def claim_next(request, queue: str):
    queue = _queue_or_404(queue)
    try:
        order = services.review_claim_next(reviewer=request.user, queue=queue)
    except OrderError as refusal:
        messages.error(request, refusal.message)
        return redirect("reviews:queue", queue=queue.value)
    if order is None:
        messages.info(request, _("No order is waiting in this queue."))
        return redirect("reviews:queue", queue=queue.value)
    messages.success(
        request,
        _("You claimed order %(number)s. You hold %(held)d of at most %(limit)d orders.")
        % {"number": order.number, "held": order.reviewer_holds, "limit": conf.get("MAX_CLAIMS")},
    )
    return redirect("reviews:order", number=order.number)


urlpatterns = [
    path("", queue_list, name="queues"),
    path("queues/<str:queue>/", queue_list, name="queue"),
    path("queues/<str:queue>/claim-next/", claim_next, name="claim_next"),
]
