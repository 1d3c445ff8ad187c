"""The applicant's order pages: list, status page, history (审核历史), withdraw (撤销备案)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.choices import choice_label
from core.links import link_maker
from core.paging import CountedPaginator

from .. import selectors, services
from ..constants import OrderStatus, OrderType
from ..errors import OrderError
from ..pagecache import PAGE_VALID_FOR, cached_page

# An account with a long history (an agency files for its clients) still gets a page in a fixed time.
ORDERS_PER_PAGE = 20


@login_required
@cached_page
def order_list(request):
    paginator = CountedPaginator(
        selectors.order_rows_of(request.user), ORDERS_PER_PAGE, count=selectors.orders_count(request.user)
    )
    page = paginator.get_page(request.GET.get("page"))
    orders = list(page.object_list)
    detail_url = link_maker("filings:order_detail")
    for order in orders:
        order["detail_url"] = detail_url(order["number"])
        order["type_label"] = choice_label(OrderType, order["order_type"])
        order["status_label"] = choice_label(OrderStatus, order["status"])
    return render(request, "filings/order_list.html", {"orders": orders, "page": page})


@login_required
@cached_page
def order_detail(request, number):
    order = selectors.order_of(request.user, number, with_people=False)
    context = {
        "order": order,
        "steps": selectors.order_steps(order),
        "next_step": selectors.order_next_step(order),
        "days_left": selectors.order_days_left(order),
        "remarks": selectors.remarks_by_field(order),
        "websites": list(order.websites.all()),
        "numbers": selectors.order_numbers(order),
    }
    response = render(request, "filings/order_detail.html", context)
    hold_for = selectors.order_days_left_hold_for(order)
    if hold_for is not None:
        setattr(response, PAGE_VALID_FOR, hold_for)  # the page cache keeps it no longer than its days left hold
    return response


@login_required
def order_history(request, number):
    order = selectors.order_of(request.user, number)
    return render(request, "filings/order_history.html", {"order": order, "events": selectors.order_events(order)})


@login_required
@require_POST
def order_withdraw(request, number):
    order = selectors.order_of(request.user, number)
    try:
        services.order_withdraw(order_id=order.pk, actor=request.user, reason=request.POST.get("reason", "")[:500])
    except OrderError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The order was withdrawn. Its service numbers are free to use again."))
    return redirect("filings:order_detail", number=order.number)


urlpatterns = [
    path("orders/", order_list, name="order_list"),
    path("orders/<str:number>/", order_detail, name="order_detail"),
    path("orders/<str:number>/history/", order_history, name="order_history"),
    path("orders/<str:number>/withdraw/", order_withdraw, name="order_withdraw"),
]
