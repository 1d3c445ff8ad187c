"""The queue pages: one queue's orders with filters and counts per queue, "claim next", and the reviewer's own
orders. htmx refreshes the list in place; without JavaScript the page works the same."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import clock
from core.choices import choice_label
from core.links import link_maker
from core.paging import CountedPaginator
from core.templatetags import portal
from filings.constants import OrderStatus, OrderType
from filings.errors import OrderError
from filings.pagecache import cached_page

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


class _UnitOncePerNumber:
    """One of ``timesince``'s units ("%(num)d hours"), translated once per number: the rows of a page repeat the
    same few, and each translation costs more than the rest of ``timesince``."""

    def __init__(self, unit):
        self.unit, self.texts = unit, {}

    def __mod__(self, values):
        num = values["num"]
        if num not in self.texts:
            self.texts[num] = self.unit % values
        return self.texts[num]


class _Labels(dict):
    """The translated labels of a ``TextChoices``, each looked up once per page (``core.choices.choice_label``)."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def __missing__(self, value):
        self[value] = label = choice_label(self.choices, value)
        return label


def _for_display(rows: list[dict], queue: Queue, now) -> list[dict]:
    """Gives each row what the table's template tags and filters worked out for it at tens of microseconds a call
    (docs/performance.md), with the same result: the labels of its status and type, its links (one ``reverse()``
    each per page, ``core.links``), its times as ``|stamp:"m-d H:i"`` writes them, and how long it has waited as
    ``|timesince:now`` inside ``{% blocktranslate %}{{ age }} ago{% endblocktranslate %}`` wrote it."""
    order_url = link_maker("reviews:order")
    if queue in CLAIMABLE_QUEUES:
        action_url = link_maker("reviews:order_claim")
    elif queue == Queue.FORWARD:
        action_url = link_maker("reviews:order_forward")
    else:
        action_url = None
    statuses, types = _Labels(OrderStatus), _Labels(OrderType)
    units = {name: _UnitOncePerNumber(unit) for name, unit in TIME_STRINGS.items()}
    ago = _("%(age)s ago")

    zone = timezone.get_current_timezone()  # once: each look-up of the request's zone costs more than the stamp

    def stamp(moment) -> str:  # {{ moment|stamp:"m-d H:i" }}, which takes the time in the current zone
        return portal.stamp(moment.astimezone(zone), "m-d H:i") if moment else ""

    for row in rows:
        number = row["number"]
        row["status_label"] = statuses[row["status"]]
        row["type_label"] = types[row["order_type"]]
        row["url"] = order_url(number)
        row["action_url"] = action_url(number) if action_url else ""
        entered_at = row["entered_at"]
        row["waited"] = ago % {"age": timesince(entered_at, now, time_strings=units) if entered_at else ""}
        row["entered_stamp"], row["due_stamp"] = stamp(entered_at), stamp(row["due_at"])
        row["retry_due_stamp"] = stamp(row["retry_due_at"])
    return rows


def _queue_context(request, queue: Queue) -> dict:
    now = clock.now()
    counts, reviewer_options, provinces = selectors.queue_page_cached(now)
    form = QueueFilterForm(request.GET or None, provinces=provinces, reviewer_options=reviewer_options)
    filters = form.filters()
    orders = selectors.queue_orders(queue, filters, viewer=request.user, now=now)
    if filters == QueueFilters():
        # Unfiltered, the list is the whole queue: its size is in the counts already.
        paginator = CountedPaginator(orders, conf.get("PAGE_SIZE"), count=counts[queue.value]["total"])
    else:
        paginator = Paginator(orders, conf.get("PAGE_SIZE"))
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _for_display(selectors.queue_rows(page.object_list, now), queue, now)
    if isinstance(paginator, CountedPaginator) and page.number == 1 and len(page.object_list) < paginator.per_page:
        # The whole queue is on this page: its numbers are its rows', not the counts of a few seconds ago (which
        # would say "0 orders" above an order just submitted).
        counts = {**counts, queue.value: selectors.queue_counts_of_rows(page.object_list, now)}
        paginator.count, paginator.num_pages = len(page.object_list), 1
    query = request.GET.copy()
    query.pop("page", None)
    queue_url = link_maker("reviews:queue")
    return {
        "queue": queue,
        "queue_url": queue_url(queue.value),
        "queues": [(q, counts[q.value], queue_url(q.value)) for q in Queue],
        "count": counts[queue.value],
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "claimable": queue in CLAIMABLE_QUEUES,
        "now": now,
        # One token for every row's form: what {% csrf_token %} writes, without the tag's work on each row.
        "row_csrf_token": get_token(request) if page.object_list else "",
    }


@reviewer_required
@require_GET
# Kept per reviewer for as long as the counts on it are, at most (others' claims show within those seconds, one's
# own at once: filings.pagecache); the reviewers' pages, often kept at the same moment, expire apart.
@cached_page(seconds=selectors.COUNTS_SECONDS, spread=0.5)
def queue_list(request, queue: str = Queue.INITIAL.value):
    queue = _queue_or_404(queue)
    context = _queue_context(request, queue)
    if request.htmx and request.htmx.target == "queue-table":
        return render(request, "reviews/_queue_table.html", context)
    order_url = link_maker("reviews:order")
    held = [(number, subject, order_url(number)) for number, subject in selectors.held_by_summary(request.user)]
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
