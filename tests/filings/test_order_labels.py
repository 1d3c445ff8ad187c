"""An order's status and filing type read as their translated labels (FilingOrder.get_status_display and
get_order_type_display, kept cheap for the lists), as Django's own would."""

from django.utils import translation

from filings.constants import OrderStatus, OrderType
from filings.models import FilingOrder


def test_labels_follow_the_language():
    order = FilingOrder(status=OrderStatus.PENDING_INITIAL_REVIEW, order_type=OrderType.FIRST_FILING)
    with translation.override("zh-hans"):
        status, kind = order.get_status_display(), order.get_order_type_display()
    with translation.override("en"):
        assert order.get_status_display() != status
        assert order.get_order_type_display() != kind
        assert order.get_status_display() == str(OrderStatus.PENDING_INITIAL_REVIEW.label)
    assert isinstance(status, str) and status


def test_a_value_that_is_no_choice_reads_as_itself():
    order = FilingOrder(status="retired_state", order_type="retired_type")
    assert order.get_status_display() == "retired_state"
    assert order.get_order_type_display() == "retired_type"
