"""Decisions: pass, or reject with catalogue reasons tied to the order's own fields; who may decide, with the
message each refusal gives (service and page)."""

import pytest
from django.urls import reverse

from filings import services as filings
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.errors import NotPermitted, TransitionRefused
from filings.models import FieldRemark, OrderEvent, WebsiteApplication
from reviews import services
from reviews.constants import ClaimOutcome, DecisionOutcome, DecisionStage
from reviews.models import Claim, Decision
from reviews.reasons import ChosenReason, reason_options

from .conftest import choose, reason, refreshed, sign_in, zh

pytestmark = pytest.mark.django_db


def test_passing_initial_review_moves_a_first_filing_to_the_photo_step(claimed, reviewer):
    order = claimed()
    passed = services.review_initial_pass(order_id=order.pk, actor=reviewer, note="资料齐全")
    assert (passed.status, passed.assignee_id) == (S.PENDING_PHOTO, None)
    assert Claim.objects.get(order=order).outcome == ClaimOutcome.DECIDED
    decision = Decision.objects.get(order=order)
    assert (decision.reviewer_id, decision.stage, decision.outcome) == (
        reviewer.pk,
        DecisionStage.INITIAL_REVIEW,
        DecisionOutcome.PASSED,
    )
    assert OrderEvent.objects.get(order=order, action="pass_initial_review").reason == "资料齐全"


def test_a_cancellation_passes_straight_to_forwarding(claimed, reviewer):
    order = claimed(order_type=OrderType.CANCEL_WEBSITE)
    assert services.review_initial_pass(order_id=order.pk, actor=reviewer).status == S.PENDING_MIIT_SUBMISSION


def test_reasons_resolve_to_the_paths_the_applicant_pages_show_remarks_beside(claimed):
    order = claimed()
    principal = order.subject_application.principal
    paths = {(o.reason.code, o.path) for o in reason_options(order)}
    assert ("subject_name", "subject.name") in paths
    assert ("principal_mobile", f"people.{principal.pk}.mobile") in paths
    assert ("website_homepage", "websites.0.homepage_url") in paths
    assert ("website_principal_mobile", f"people.{principal.pk}.mobile") in paths
    assert ("other", "") in paths


def test_a_reason_about_a_website_is_offered_once_per_website(claimed):
    order = claimed()
    WebsiteApplication.objects.create(order=order, position=1, name="第二个网站")
    paths = [o.path for o in reason_options(order) if o.reason.code == "website_name"]
    assert paths == ["websites.0.name", "websites.1.name"]


def test_rejecting_stores_each_reason_at_its_field_with_its_note(claimed, reviewer):
    order = claimed()
    principal = order.subject_application.principal
    chosen = choose(order, "subject_name", "principal_mobile", ("website_homepage", "websites.0.homepage_url"))
    chosen[0] = ChosenReason(chosen[0].reason_id, chosen[0].path, "应为“北京示例科技有限公司”")
    rejected = services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=chosen)
    assert rejected.status == S.INITIAL_REJECTED
    remarks = {r.field: (r.code, r.message) for r in FieldRemark.objects.filter(order=order)}
    assert remarks == {
        "subject.name": ("subject_name", f"{reason('subject_name').message} (应为“北京示例科技有限公司”)"),
        f"people.{principal.pk}.mobile": ("principal_mobile", reason("principal_mobile").message),
        "websites.0.homepage_url": ("website_homepage", reason("website_homepage").message),
    }
    decision = Decision.objects.get(order=order)
    assert decision.outcome == DecisionOutcome.REJECTED
    assert decision.reason_codes == ["subject_name", "principal_mobile", "website_homepage"]


def test_a_rejection_needs_a_reason(claimed, reviewer):
    order = claimed()
    with pytest.raises(TransitionRefused) as refused:
        services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=[])
    assert refused.value.code == "reason_required"
    assert refreshed(order).status == S.INITIAL_REVIEW


def test_a_reason_at_a_place_the_order_does_not_have_is_refused(claimed, reviewer):
    order = claimed()
    forged = ChosenReason(reason("website_name").pk, "websites.7.name")
    with pytest.raises(TransitionRefused) as refused:
        services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=[forged])
    assert refused.value.code == "unknown_reason"
    photo_reason = ChosenReason(reason("photo_face").pk, "")
    with pytest.raises(TransitionRefused):
        services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=[photo_reason])
    assert not FieldRemark.objects.filter(order=order).exists()


def test_an_inactive_reason_cannot_be_used(claimed, reviewer):
    order = claimed()
    chosen = choose(order, "subject_name")
    reason("subject_name").__class__.objects.filter(code="subject_name").update(is_active=False)
    with pytest.raises(TransitionRefused):
        services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=chosen)


def test_an_applicant_cannot_decide(claimed, reviewer):
    order = claimed()
    with pytest.raises(NotPermitted) as refused:
        services.review_initial_pass(order_id=order.pk, actor=order.applicant)
    assert refused.value.code == "not_a_reviewer"
    with pytest.raises(NotPermitted):
        services.review_initial_reject(order_id=order.pk, actor=order.applicant, reasons=choose(order, "other"))
    assert refreshed(order).status == S.INITIAL_REVIEW


def test_a_reviewer_cannot_decide_an_order_another_reviewer_holds(claimed, reviewer, other_reviewer):
    order = claimed(by=reviewer)
    with pytest.raises(NotPermitted) as refused:
        services.review_initial_pass(order_id=order.pk, actor=other_reviewer)
    assert refused.value.code == "held_by_another_reviewer"
    assert reviewer.get_short_name() in str(refused.value.message)
    assert refreshed(order).status == S.INITIAL_REVIEW


def test_a_supervisor_may_decide_an_order_someone_else_holds(claimed, reviewer, supervisor):
    order = claimed(by=reviewer)
    assert services.review_initial_pass(order_id=order.pk, actor=supervisor).status == S.PENDING_PHOTO
    assert Decision.objects.get(order=order).reviewer_id == supervisor.pk


def test_deciding_twice_is_refused(claimed, reviewer):
    order = claimed()
    services.review_initial_pass(order_id=order.pk, actor=reviewer)
    with pytest.raises(TransitionRefused) as refused:
        services.review_initial_pass(order_id=order.pk, actor=reviewer)
    assert refused.value.code == "not_allowed_in_state"
    assert Decision.objects.filter(order=order).count() == 1


# --- photo review ----------------------------------------------------------------------------------------------------


def test_a_photo_must_be_claimed_before_it_is_decided(photo_waiting, reviewer):
    order = photo_waiting()
    with pytest.raises(NotPermitted) as refused:
        services.review_photo_pass(order_id=order.pk, actor=reviewer)
    assert refused.value.code == "not_claimed"


def test_a_reviewer_cannot_decide_a_photo_another_reviewer_holds(photo_waiting, reviewer, other_reviewer):
    order = photo_waiting()
    services.review_claim(order_id=order.pk, reviewer=reviewer)
    with pytest.raises(NotPermitted) as refused:
        services.review_photo_reject(
            order_id=order.pk, actor=other_reviewer, reasons=choose(order, "photo_face", stage="photo_review")
        )
    assert refused.value.code == "held_by_another_reviewer"


def test_passing_the_photo_makes_the_order_due_for_forwarding_one_working_day_later(photo_waiting, reviewer, clock):
    from .conftest import at

    clock.freeze(at(2024, 9, 30, 15))  # Monday before the National Day holiday
    order = photo_waiting()
    services.review_claim(order_id=order.pk, reviewer=reviewer)
    passed = services.review_photo_pass(order_id=order.pk, actor=reviewer)
    assert passed.status == S.PENDING_MIIT_SUBMISSION
    assert passed.due_at == at(2024, 10, 8, 15)


def test_rejecting_the_photo_asks_for_a_new_one_with_the_reasons_at_the_photo(photo_waiting, reviewer):
    order = photo_waiting()
    principal = order.people.first()
    services.review_claim(order_id=order.pk, reviewer=reviewer)
    chosen = choose(order, "photo_clothing", "photo_backdrop", stage="photo_review")
    rejected = services.review_photo_reject(order_id=order.pk, actor=reviewer, reasons=chosen)
    assert rejected.status == S.PENDING_PHOTO
    remarks = list(FieldRemark.objects.filter(order=order).values_list("field", "code"))
    path = f"materials.verification_photo.person.{principal.pk}"
    assert remarks == [(path, "photo_clothing"), (path, "photo_backdrop")]


def test_photo_reasons_are_not_offered_in_initial_review(claimed):
    order = claimed()
    codes = {o.reason.code for o in reason_options(order)}
    assert "photo_clothing" not in codes and "subject_name" in codes


# --- the pages answer refusals with a clear message ------------------------------------------------------------------


def test_an_applicant_posting_a_decision_gets_403_with_a_message(client, claimed):
    order = claimed()
    sign_in(client, order.applicant)
    response = client.post(reverse("reviews:order_pass", args=[order.number]))
    assert response.status_code == 403
    assert zh("Only the provider's reviewers can do this.") in response.content.decode()
    assert refreshed(order).status == S.INITIAL_REVIEW


def test_a_reviewer_posting_a_decision_on_another_reviewers_order_gets_403_with_a_message(
    client, claimed, reviewer, other_reviewer
):
    order = claimed(by=reviewer)
    sign_in(client, other_reviewer)
    response = client.post(
        reverse("reviews:order_reject", args=[order.number]), {"reason": [choose(order, "other")[0].reason_id]}
    )
    assert response.status_code == 403
    message = zh("%(name)s holds this order. Only they or a supervisor can decide it.", name=reviewer.get_short_name())
    assert message in response.content.decode()
    assert refreshed(order).status == S.INITIAL_REVIEW


def test_a_supervisor_reassigns_from_the_page(client, claimed, reviewer, other_reviewer, supervisor):
    order = claimed(by=reviewer)
    sign_in(client, supervisor)
    response = client.post(
        reverse("reviews:order_reassign", args=[order.number]), {"reassign-reviewer": other_reviewer.pk}
    )
    assert response.status_code == 302
    assert refreshed(order).assignee_id == other_reviewer.pk
    page = client.get(response["Location"]).content.decode()
    assert other_reviewer.get_short_name() in page


def test_a_reviewer_reassigning_from_the_page_gets_403(client, claimed, reviewer, other_reviewer):
    order = claimed(by=reviewer)
    sign_in(client, reviewer)
    response = client.post(
        reverse("reviews:order_reassign", args=[order.number]), {"reassign-reviewer": other_reviewer.pk}
    )
    assert response.status_code == 403
    assert zh("Only a supervisor can do this.") in response.content.decode()
    assert refreshed(order).assignee_id == reviewer.pk


def test_rejecting_from_the_page_with_reasons_and_notes(client, claimed, reviewer):
    order = claimed()
    sign_in(client, reviewer)
    chosen = choose(order, "subject_name", "website_name")
    values = [f"{c.reason_id}|{c.path}" for c in chosen]
    response = client.post(
        reverse("reviews:order_reject", args=[order.number]),
        {"reason": values, f"note:{values[1]}": "不能只用字母", "reject-note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert refreshed(order).status == S.INITIAL_REJECTED
    assert FieldRemark.objects.get(order=order, field="websites.0.name").message.rstrip("）)").endswith("不能只用字母")


def test_rejecting_from_the_page_without_a_reason_explains_why_not(client, claimed, reviewer):
    order = claimed()
    sign_in(client, reviewer)
    response = client.post(reverse("reviews:order_reject", args=[order.number]), {})
    assert response.status_code == 409
    assert zh("Choose at least one reason for the rejection.") in response.content.decode()


def test_resubmitting_after_a_rejection_puts_the_order_back_in_the_queue_with_its_history(claimed, reviewer):
    order = claimed()
    services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=choose(order, "subject_name"))
    resubmitted = filings.order_resubmit(order_id=order.pk, actor=order.applicant)
    assert resubmitted.status == S.PENDING_INITIAL_REVIEW
    actions = list(OrderEvent.objects.filter(order=order).order_by("id").values_list("action", flat=True))
    assert actions[-4:] == ["submit", "start_initial_review", "reject_initial_review", "resubmit"]
    assert FieldRemark.objects.get(order=order).resolved_at is not None
    again = services.review_claim_next(reviewer=reviewer, queue="initial")
    assert again.pk == order.pk
