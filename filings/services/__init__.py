"""Every write to a filing order goes through these services (DESIGN.md, "Order state")."""

from .drafts import order_create_draft, order_set_icp_password
from .transitions import (
    order_approve,
    order_expire_due,
    order_fail_sms_verification,
    order_forward,
    order_initial_review_pass,
    order_initial_review_reject,
    order_initial_review_release,
    order_initial_review_start,
    order_photo_review_pass,
    order_photo_review_reject,
    order_photos_submit,
    order_reject_by_administration,
    order_resubmit,
    order_resubmit_unchanged,
    order_sms_verified,
    order_submit,
    order_withdraw,
)

__all__ = [
    "order_approve",
    "order_create_draft",
    "order_expire_due",
    "order_fail_sms_verification",
    "order_forward",
    "order_initial_review_pass",
    "order_initial_review_reject",
    "order_initial_review_release",
    "order_initial_review_start",
    "order_photo_review_pass",
    "order_photo_review_reject",
    "order_photos_submit",
    "order_reject_by_administration",
    "order_resubmit",
    "order_resubmit_unchanged",
    "order_set_icp_password",
    "order_sms_verified",
    "order_submit",
    "order_withdraw",
]
