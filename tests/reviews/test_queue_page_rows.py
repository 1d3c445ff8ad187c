"""The queue page's rows: what the view works out for each row (links, labels, times, how long the order has
waited, one token for the rows' forms) reads exactly as Django's own tags and filters wrote it in the template,
in both languages (docs/performance.md)."""

import re
from datetime import timedelta

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation

from filings.constants import OrderStatus as S
from reviews import services
from reviews.constants import CLAIMABLE_QUEUES, Queue
from reviews.queues import sla_state
from reviews.selectors.queues import QueueFilters, held_by, queue_orders
from tests.factories import UserFactory

from .conftest import at, sign_in

pytestmark = pytest.mark.django_db

# A row as the template wrote it with Django's tags and filters, one call of each per row (the lines are joined
# where the page has whitespace between tags, which the comparison leaves out).
ROW_WITH_DJANGO_TAGS = "\n".join(
    [
        "{% load i18n %}",
        "<tr class=\"{% if order.sla == 'overdue' %}row-overdue{% elif order.sla == 'due_soon' %}row-due-soon"
        '{% endif %}" data-order="{{ order.number }}">',
        '<td><a class="mono" href="{% url \'reviews:order\' order.number %}">{{ order.number }}</a><br>'
        '<span class="badge badge-{{ order.status }}" data-status="{{ order.status }}">'
        "{{ order.get_status_display }}</span></td>",
        "<td>{{ order.get_order_type_display }}</td>",
        '<td>{{ order.subject_application.name|default:"—" }}</td>',
        '<td class="mono">{{ order.first_domain|default:"—" }}</td>',
        "<td>{{ order.province.name }}</td>",
        '<td>{{ order.entered_at|date:"m-d H:i" }}<br><span class="muted small">{% blocktranslate trimmed with '
        "age=order.entered_at|timesince:now %}{{ age }} ago{% endblocktranslate %}</span></td>",
        '<td>{% if queue == "calls" %}{{ order.retry_due_at|date:"m-d H:i" }}<br>{% endif %}'
        '{% include "reviews/_sla.html" with sla=order.sla due_at=order.due_at %}</td>',
        "<td>{% if order.assignee %}{{ order.assignee.get_short_name }}{% else %}"
        '<span class="muted">{% translate "Not claimed" %}</span>{% endif %}</td>',
        "<td>{% if claimable and not order.assignee %}",
        '<form method="post" action="{% url \'reviews:order_claim\' order.number %}" class="inline-form">'
        '{% csrf_token %}<button type="submit" class="button button-small button-secondary">'
        '{% translate "Claim" %}</button></form>',
        '{% elif queue == "forward" %}',
        '<form method="post" action="{% url \'reviews:order_forward\' order.number %}" class="inline-form">'
        '{% csrf_token %}<button type="submit" class="button button-small">{% translate "Forward" %}</button></form>',
        "{% endif %}</td>",
        "</tr>",
    ]
)
HELD_WITH_DJANGO_TAGS = (
    '{% for order in held %}<a class="mono" href="{% url \'reviews:order\' order.number %}">{{ order.number }}</a>'
    '{% if order.subject_application.name %} <span class="muted">{{ order.subject_application.name }}</span>'
    "{% endif %}{% if not forloop.last %} · {% endif %}{% endfor %}"
)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=)"[^"]*"')


def _plain(html: str) -> str:
    """The markup without the whitespace between tags and with one stand-in for every CSRF token (each is masked
    afresh)."""
    html = TOKEN.sub(r'\1"token"', html)
    return re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", "\n", html)).replace("\n", "").strip()


def _rows_on_the_page(client, queue, language) -> dict[str, str]:
    client.cookies["django_language"] = language
    response = client.get(
        reverse("reviews:queue", args=[queue]), headers={"HX-Request": "true", "HX-Target": "queue-table"}
    )
    rows = re.findall(r'<tr class="[^"]*" data-order="[^"]+">.*?</tr>', response.content.decode(), flags=re.S)
    return {re.search(r'data-order="([^"]+)"', row)[1]: _plain(row) for row in rows}


def _rows_with_django_tags(queue, reviewer, now, language) -> dict[str, str]:
    template = engines["django"].from_string(ROW_WITH_DJANGO_TAGS)
    rows = {}
    with translation.override(language):
        for order in queue_orders(queue, QueueFilters(), viewer=reviewer, now=now):
            order.sla = sla_state(order.due_at, now)
            context = {
                "order": order,
                "now": now,
                "queue": queue,
                "claimable": queue in CLAIMABLE_QUEUES,
                "csrf_token": "token",
            }
            rows[order.number] = _plain(template.render(context))
    return rows


@pytest.fixture
def waiting_for_months_days_hours_and_minutes(queued, claimed, reviewer, other_reviewer, clock):
    """Orders that entered the initial-review queue a few minutes to a few months before the (frozen) clock, some
    claimed (by a reviewer with a name, by one known only by e-mail), due soon, overdue or in time."""
    clock.freeze(at(2024, 8, 30, 9, 17))
    queued()
    clock.advance(timedelta(days=40, hours=5))
    claimed(by=other_reviewer)
    clock.advance(timedelta(days=12, hours=3, minutes=41))
    claimed(by=UserFactory(reviewer=True, full_name="", email="li.shen@example.com"))
    clock.advance(timedelta(days=1, hours=2))
    queued()
    clock.advance(timedelta(hours=21, minutes=6))
    queued()
    clock.advance(timedelta(minutes=59))
    queued()
    clock.advance(timedelta(minutes=1, seconds=30))
    claimed(by=reviewer)
    clock.advance(timedelta(seconds=20))
    return clock.now()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rows_read_as_djangos_tags_and_filters_wrote_them(
    client, waiting_for_months_days_hours_and_minutes, reviewer, language
):
    now = waiting_for_months_days_hours_and_minutes
    sign_in(client, reviewer)
    shown = _rows_on_the_page(client, Queue.INITIAL, language)
    assert len(shown) == 7
    assert shown == _rows_with_django_tags(Queue.INITIAL, reviewer, now, language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_call_back_and_forward_rows_read_as_djangos_tags_wrote_them(
    client, claimed, make_order, reviewer, clock, language
):
    clock.freeze(at(2024, 11, 4, 9))
    order = claimed()
    services.review_call_record(order_id=order.pk, actor=reviewer, reached=False, note="无人接听")
    make_order(status=S.PENDING_MIIT_SUBMISSION)
    clock.advance(timedelta(hours=1, minutes=3))
    sign_in(client, reviewer)
    for queue in (Queue.CALLS, Queue.FORWARD):
        shown = _rows_on_the_page(client, queue, language)
        assert len(shown) == 1
        assert shown == _rows_with_django_tags(queue, reviewer, clock.now(), language)


def test_the_row_links_are_the_order_and_its_claim(client, queued, reviewer):
    order = queued()
    sign_in(client, reviewer)
    page = client.get(reverse("reviews:queue", args=["initial"])).content.decode()
    assert f'<a class="mono" href="{reverse("reviews:order", args=[order.number])}">{order.number}</a>' in page
    assert f'action="{reverse("reviews:order_claim", args=[order.number])}"' in page


def test_the_one_token_of_the_rows_forms_is_accepted(queued, reviewer):
    order = queued()
    client = Client(enforce_csrf_checks=True)
    sign_in(client, reviewer)
    page = client.get(reverse("reviews:queue", args=["initial"])).content.decode()
    claim = reverse("reviews:order_claim", args=[order.number])
    form = re.search(rf'<form method="post" action="{claim}" class="inline-form">(.*?)</form>', page)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert client.post(claim).status_code == 403  # without it
    response = client.post(claim, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.assignee_id == reviewer.pk


def test_the_orders_i_hold_read_as_djangos_tags_wrote_them(client, claimed, reviewer):
    claimed(by=reviewer)
    claimed(by=reviewer)
    sign_in(client, reviewer)
    page = client.get(reverse("reviews:queue", args=["initial"])).content.decode()
    strip = re.search(r'<p class="held-strip">.*?\(2/\d+\)</span>\s*(.*?)\s*</p>', page, flags=re.S)[1]
    held = list(held_by(reviewer))
    assert strip == engines["django"].from_string(HELD_WITH_DJANGO_TAGS).render({"held": held})
