"""Every registered event has every template its channels need, and each renders in Chinese and in English."""

import pytest
from django.template import TemplateDoesNotExist, engines
from django.test import override_settings

from notifications import events
from notifications.constants import Audience, Channel
from notifications.events import EventType
from notifications.rendering import render_message

LANGUAGES = ["zh-hans", "en"]
ORDER_EVENTS = [
    "order.submitted",
    "order.rejected",
    "order.initial_review_passed",
    "order.photo_needed",
    "order.forwarded",
    "order.approved",
    "order.expiring_soon",
    "order.expired",
]


def _missing_templates(event: EventType) -> list[str]:
    missing = []
    for name in event.template_names():
        try:
            engines["django"].get_template(name)
        except TemplateDoesNotExist:
            missing.append(name)
    return missing


def _render_all(event: EventType, language: str) -> dict[str, tuple[str, str]]:
    return {
        channel: tuple(
            render_message(event=event.key, channel=channel, context=event.example, language=language).__dict__.values()
        )
        for channel in event.channels
    }


def test_every_order_event_an_applicant_cares_about_and_the_staff_event_are_registered():
    registered = {e.key: e for e in events.all_events()}
    for key in ORDER_EVENTS:
        assert registered[key].audience == Audience.APPLICANT
    assert registered["staff.new_work"].audience == Audience.STAFF
    assert registered["account.sms_code"].mandatory
    assert registered["legal.notice"].mandatory


@pytest.mark.parametrize("event", events.all_events(), ids=lambda e: e.key)
def test_every_event_has_all_its_templates(event):
    assert _missing_templates(event) == []


def test_a_missing_template_is_found():
    ghost = EventType("order.ghost", "ghost", (Channel.EMAIL, Channel.SMS))
    assert _missing_templates(ghost) == [
        "notifications/order/ghost/body.txt",
        "notifications/order/ghost/sms.txt",
        "notifications/order/ghost/subject.txt",
    ]
    events.register(ghost)
    try:
        with pytest.raises(TemplateDoesNotExist):
            render_message(event="order.ghost", channel=Channel.SMS, context={}, language="en")
    finally:
        events._registry.pop("order.ghost")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event", events.all_events(), ids=lambda e: e.key)
def test_every_template_renders_in_both_languages_with_every_variable_known(event, language):
    marker = "!!UNKNOWN %s!!"
    with override_settings(
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": engines["django"].dirs,
                "APP_DIRS": True,
                "OPTIONS": {"string_if_invalid": marker},
            }
        ]
    ):
        rendered = _render_all(event, language)
    for channel, (subject, body) in rendered.items():
        assert body.strip(), f"{event.key} {channel}: empty body"
        assert "!!UNKNOWN" not in subject + body, f"{event.key} {channel}: {subject} {body}"
        if channel == Channel.SMS:
            assert subject == ""
            assert "\n" not in body
        else:
            assert subject.strip(), f"{event.key} {channel}: empty subject"
            assert "\n" not in subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_order_numbers_and_reasons_reach_the_text(language):
    example = events.get("order.rejected").example
    subject, body = _render_all(events.get("order.rejected"), language)[Channel.EMAIL]
    assert example["order_number"] in subject
    for reason in example["reasons"]:
        assert reason in body
    assert "http://localhost:8000" + example["link"] in body
    _subject, text = _render_all(events.get("order.approved"), language)[Channel.SMS]
    assert "京ICP备12345678号-1" in text


def test_texts_are_not_html_escaped():
    event = events.get("legal.notice")
    rendered = render_message(
        event=event.key, channel=Channel.EMAIL, context={"title": "A & B <c>", "text": "x"}, language="en"
    )
    assert rendered.subject == "A & B <c>"
