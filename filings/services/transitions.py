"""The moves of RULES.md's state table, one service each, built on one helper (STYLE.md, rule 3).

``_move`` opens a transaction, locks the order (``select_for_update(of=("self",))``), checks the actor, lets
django-fsm check the source state (``can_proceed``), runs any extra guard, calls the transition on the locked
instance, keeps the clocks (validity, SLA due time), saves, writes the ``OrderEvent`` and runs the service's own
effects in the same transaction. Work for other processes is scheduled with ``transaction.on_commit``. A caller
that already locked the row in its own transaction hands the instance over (``locked=``) instead of having it read
again.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed

from accounts.constants import Role
from core import clock
from regions.workdays import add_working_days
from websites import services as website_services

from .. import notify
from ..constants import (
    APPLICANT_HELD_STATES,
    FINAL_STATES,
    ORDER_VALIDITY_DAYS,
    PROVIDER_QUEUE_STATES,
    ActorKind,
    OrderStatus,
)
from ..errors import NotPermitted, OrderError, TransitionRefused, refused_in_state
from ..models import FieldRemark, FilingOrder, OrderEvent

S = OrderStatus


@dataclass(frozen=True)
class Remark:
    """A reason tied to a field (dotted name, empty for the whole order), shown to the applicant beside it."""

    field: str
    message: str
    code: str = ""


# --- who may act -------------------------------------------------------------------------------------------------


def _is_applicant(order, actor) -> bool:
    return actor is not None and order.applicant_id == actor.pk


def _is_reviewer(actor) -> bool:
    return actor is not None and (actor.has_role(Role.REVIEWER) or actor.has_role(Role.SUPERVISOR))


def _is_supervisor(actor) -> bool:
    return actor is not None and actor.has_role(Role.SUPERVISOR)


def _holds_review(order, actor) -> bool:
    """The reviewer who claimed the order, or a supervisor."""
    return _is_reviewer(actor) and (order.assignee_id == actor.pk or _is_supervisor(actor))


def _check_applicant(order, actor):
    if not _is_applicant(order, actor):
        raise NotPermitted("not_your_order", _("Only the applicant of this order can do this."))


def _check_reviewer(order, actor):
    if not _is_reviewer(actor):
        raise NotPermitted("not_a_reviewer", _("Only the provider's reviewers can do this."))


def _check_holder(order, actor):
    _check_reviewer(order, actor)
    if not _holds_review(order, actor):
        raise NotPermitted("held_by_another_reviewer", _("Another reviewer holds this order."))


def _check_administration(order, actor):
    if actor is not None:
        raise NotPermitted("administration_only", _("Only the administration can do this."))


def _check_system(order, actor):
    if actor is not None:
        raise NotPermitted("system_only", _("Only the system can do this."))


# --- the common part -----------------------------------------------------------------------------------------------


def _keep_clocks(order: FilingOrder, *, from_status: str, now) -> None:
    """Validity runs only while the applicant holds the order; the provider's one working day runs in its queues."""
    to_status = order.status
    was_held, is_held = from_status in APPLICANT_HELD_STATES, to_status in APPLICANT_HELD_STATES
    if was_held and not is_held:
        if order.submitted_at is None:
            # The first submission: from now on the order has 45 days of the applicant's time.
            order.submitted_at = now
            order.validity_left = timedelta(days=ORDER_VALIDITY_DAYS)
        else:
            order.validity_left = max(order.expires_at - now, timedelta(0))
        order.expires_at = None
    elif is_held and not was_held:
        order.expires_at = now + (order.validity_left or timedelta(days=ORDER_VALIDITY_DAYS))
        order.validity_left = None

    in_queue = to_status in PROVIDER_QUEUE_STATES
    same_queue = {from_status, to_status} == {S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW}
    if in_queue and not same_queue:
        order.due_at = add_working_days(now, 1)
    elif not in_queue:
        order.due_at = None
    if to_status not in (S.INITIAL_REVIEW, S.PHOTO_REVIEW):
        order.assignee = None
    if to_status in FINAL_STATES:
        order.completed_at = now
    order.status_changed_at = now


def _move(
    *,
    order_id: int,
    actor,
    actor_kind: str,
    method: str,
    check: Callable,
    reason: str = "",
    remarks: Iterable[Remark] = (),
    details: dict | None = None,
    guard: Callable[[FilingOrder], None] | None = None,
    prepare: Callable[[FilingOrder], None] | None = None,
    effects: Callable[[FilingOrder], None] | None = None,
    transition_kwargs: dict | None = None,
    locked: FilingOrder | None = None,
    now=None,
) -> FilingOrder:
    """``locked``: the order itself when the caller already holds its row lock in the transaction it is in (it read
    the row with ``select_for_update``, as "claim next" does with ``SKIP LOCKED``). Reading it again would only cost a
    round trip; every check below still runs on it. The move then joins the caller's transaction without a savepoint:
    a refused or failed move fails the caller's transaction too, which the caller lets propagate.

    ``now``: the moment the caller's transaction works with (a claim and its move then carry the same time, and the
    portal's clock is read once); the clock's current moment if not given."""
    if locked is not None:
        _check_held_lock(locked, order_id=order_id)
    try:
        with transaction.atomic(savepoint=locked is None):
            if locked is None:
                order = FilingOrder.objects.select_for_update(of=("self",)).get(pk=order_id)
            else:
                order = locked
            bound = getattr(order, method)
            if not can_proceed(bound):
                raise refused_in_state(order)
            check(order, actor)
            if guard is not None:
                guard(order)
            now = now or clock.now()
            from_status = order.status
            bound(**(transition_kwargs or {}))
            _keep_clocks(order, from_status=from_status, now=now)
            if prepare is not None:
                prepare(order)
            order.save()
            event = OrderEvent.objects.create(
                order=order,
                action=method,
                from_status=from_status,
                to_status=order.status,
                actor=actor,
                actor_kind=actor_kind,
                reason=reason,
                details=details or {},
                created_at=now,
            )
            remarks = list(remarks)
            if remarks:
                FieldRemark.objects.bulk_create(
                    FieldRemark(order=order, event=event, field=r.field, code=r.code, message=r.message, created_at=now)
                    for r in remarks
                )
            if order.status in (S.WITHDRAWN, S.EXPIRED):
                _release_service_numbers([order.pk])
            if effects is not None:
                effects(order)
            notify.order_event_notify(order, event)
    except ConcurrentTransition:
        # Someone else moved it between our read and our write (only possible without the row lock, e.g. SQLite).
        raise TransitionRefused("concurrent_change", _("The order changed meanwhile. Reload and try again.")) from None
    return order


@functools.cache
def transition_states(method: str) -> tuple[str, str]:
    """The source and target states of the state machine's transition ``method`` (one source, one target), for a
    move written as one SQL statement: claim next on PostgreSQL (reviews.services.claims) moves the order in the
    statement that takes it, and reads the states here rather than repeating them."""
    field = FilingOrder._meta.get_field("status")
    found = [t for t in field.get_all_transitions(FilingOrder) if t.name == method]
    if len(found) != 1 or not isinstance(found[0].target, str) or found[0].source in ("*", "+"):
        raise ValueError(f"{method!r} is not a transition with one source and one target")
    return str(found[0].source), str(found[0].target)


def _check_held_lock(order: FilingOrder, *, order_id: int) -> None:
    """A lock can only be held inside a transaction, and only on the order being moved: anything else is a mistake
    in the caller, which would move an order nobody locked."""
    if order.pk != order_id or not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"order {order_id}: the caller must pass the order it locked in its open transaction")


def _release_service_numbers(order_ids) -> int:
    from ..models import WebsiteApplication

    ids = WebsiteApplication.objects.filter(order_id__in=order_ids, service_number__isnull=False).values_list(
        "service_number_id", flat=True
    )
    return website_services.service_numbers_release(service_number_ids=list(ids))


# --- applicant moves -----------------------------------------------------------------------------------------------


def _precheck_clean(order: FilingOrder) -> None:
    from ..precheck import order_precheck

    problems = [f for f in order_precheck(order) if f.is_error]
    if problems:
        raise TransitionRefused(
            "precheck_failed",
            _("The pre-check found %(count)d problem(s). Fix them before submitting.") % {"count": len(problems)},
        )


def _resolve_remarks(order: FilingOrder) -> None:
    FieldRemark.objects.filter(order=order, resolved_at__isnull=True).update(resolved_at=clock.now())


def _claim_effects(name: str):
    """A claim is filled from the legacy record when submitted and becomes filed records when passed (claims.py)."""

    def effects(order):
        from ..claims import claim_moved

        claim_moved(order, name=name, target=order.status)

    return effects


def order_submit(*, order_id: int, actor) -> FilingOrder:
    """提交 after the pre-check is clean and the applicant confirmed (确认提交)."""
    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.APPLICANT,
        method="submit",
        check=_check_applicant,
        guard=_precheck_clean,
        effects=_claim_effects("submit"),
    )


def order_resubmit(*, order_id: int, actor) -> FilingOrder:
    """After a rejection (or an edited return): back to the provider's initial review."""

    def effects(order):
        _resolve_remarks(order)
        _claim_effects("resubmit")(order)

    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.APPLICANT,
        method="resubmit",
        check=_check_applicant,
        guard=_precheck_clean,
        effects=effects,
    )


def order_resubmit_unchanged(*, order_id: int, actor) -> FilingOrder:
    """管局退回, nothing edited: straight back to SMS verification with new codes."""

    def guard(order):
        if order.edited_at is not None and order.edited_at >= order.status_changed_at:
            raise TransitionRefused(
                "edited_since_return",
                _("The order was edited after it came back: submit it for initial review again."),
            )

    def effects(order):
        from ..callbacks import new_sms_codes_after_commit

        new_sms_codes_after_commit(order.pk)

    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.APPLICANT,
        method="resubmit_unchanged",
        check=_check_applicant,
        guard=guard,
        effects=effects,
    )


def order_withdraw(*, order_id: int, actor, reason: str = "") -> FilingOrder:
    """撤销备案: possible until the administration holds the order. Frees the order's service numbers."""
    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.APPLICANT,
        method="withdraw",
        check=_check_applicant,
        reason=reason,
    )


def order_photos_submit(*, order_id: int, actor) -> FilingOrder:
    def guard(order):
        from ..constants import MaterialKind

        if not order.materials.filter(kind=MaterialKind.VERIFICATION_PHOTO).exists():
            raise TransitionRefused("no_photo", _("Upload the verification photo first."))

    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.APPLICANT,
        method="submit_photos",
        check=_check_applicant,
        guard=guard,
    )


# --- the provider's moves ----------------------------------------------------------------------------------------


def order_initial_review_start(*, order_id: int, actor, locked: FilingOrder | None = None, now=None) -> FilingOrder:
    """A reviewer claims an order for initial review. ``locked``: the order, its row already locked by the caller's
    transaction, and ``now``, the moment of that transaction (see ``_move``)."""

    def prepare(order):
        order.assignee = actor

    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.REVIEWER,
        method="start_initial_review",
        check=_check_reviewer,
        prepare=prepare,
        locked=locked,
        now=now,
    )


def order_initial_review_release(*, order_id: int, actor, reason: str = "") -> FilingOrder:
    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.REVIEWER,
        method="release_initial_review",
        check=_check_holder,
        reason=reason,
    )


def order_initial_review_pass(*, order_id: int, actor, note: str = "") -> FilingOrder:
    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.REVIEWER,
        method="pass_initial_review",
        check=_check_holder,
        reason=note,
        effects=_claim_effects("pass_initial_review"),
    )


def _require_reasons(remarks):
    remarks = list(remarks)
    if not remarks:
        raise TransitionRefused("reason_required", _("Give at least one reason for the rejection."))
    return remarks


def order_initial_review_reject(*, order_id: int, actor, remarks: Iterable[Remark], note: str = "") -> FilingOrder:
    remarks = _require_reasons(remarks)
    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.REVIEWER,
        method="reject_initial_review",
        check=_check_holder,
        reason=note or "; ".join(r.message for r in remarks),
        remarks=remarks,
    )


def order_photo_review_pass(*, order_id: int, actor, note: str = "") -> FilingOrder:
    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.REVIEWER,
        method="pass_photo_review",
        check=_check_reviewer,
        reason=note,
    )


def order_photo_review_reject(*, order_id: int, actor, remarks: Iterable[Remark], note: str = "") -> FilingOrder:
    remarks = _require_reasons(remarks)
    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.REVIEWER,
        method="reject_photo_review",
        check=_check_reviewer,
        reason=note or "; ".join(r.message for r in remarks),
        remarks=remarks,
    )


def order_forward(*, order_id: int, actor, sms_required: bool) -> FilingOrder:
    """Forward to the administration (提交管局). ``sms_required`` follows the administration's rules."""
    return _move(
        order_id=order_id,
        actor=actor,
        actor_kind=ActorKind.REVIEWER,
        method="forward_to_administration",
        check=_check_reviewer,
        transition_kwargs={"sms_required": sms_required},
        details={"sms_required": sms_required},
    )


# --- the administration's moves (callbacks) ----------------------------------------------------------------------


def order_sms_verified(*, order_id: int) -> FilingOrder:
    return _move(
        order_id=order_id,
        actor=None,
        actor_kind=ActorKind.ADMINISTRATION,
        method="complete_sms_verification",
        check=_check_administration,
    )


def order_fail_sms_verification(*, order_id: int, reason: str) -> FilingOrder:
    return _move(
        order_id=order_id,
        actor=None,
        actor_kind=ActorKind.ADMINISTRATION,
        method="fail_sms_verification",
        check=_check_administration,
        reason=reason,
        remarks=[Remark(field="", message=reason, code="sms_verification")],
    )


def order_approve(*, order_id: int, subject_icp_number: str, website_numbers: dict[int, str]) -> FilingOrder:
    """备案成功: the administration's numbers are recorded and the filed records written (records.py)."""
    from ..records import records_write_for_approval

    def effects(order):
        records_write_for_approval(order, subject_icp_number=subject_icp_number, website_numbers=website_numbers)
        website_services.service_numbers_mark_used(
            service_number_ids=list(
                order.websites.filter(service_number__isnull=False).values_list("service_number_id", flat=True)
            )
        )

    return _move(
        order_id=order_id,
        actor=None,
        actor_kind=ActorKind.ADMINISTRATION,
        method="approve",
        check=_check_administration,
        effects=effects,
        details={
            "subject_icp_number": subject_icp_number,
            "website_numbers": {str(k): v for k, v in website_numbers.items()},
        },
    )


def order_reject_by_administration(*, order_id: int, remarks: Iterable[Remark]) -> FilingOrder:
    remarks = _require_reasons(remarks)
    return _move(
        order_id=order_id,
        actor=None,
        actor_kind=ActorKind.ADMINISTRATION,
        method="reject_by_administration",
        check=_check_administration,
        reason="; ".join(r.message for r in remarks),
        remarks=remarks,
    )


# --- the system's sweep ----------------------------------------------------------------------------------------------


EXPIRY_SPLIT_FROM = 20_000
"""Due orders from which a sweep on PostgreSQL is split over ``settings.SWEEP_CONNECTIONS`` connections."""


def order_expire_due(*, now=None) -> list[int]:
    """Expire every order the applicant holds whose validity has run out. Set-based (DESIGN.md): the due orders are
    locked with ``select_for_update(skip_locked=True)`` (an order someone is acting on right now is left for the next
    sweep) and moved with one ``UPDATE``, their events inserted in bulk, their service numbers released with one
    ``UPDATE`` and their notices stored, all in one transaction. Returns the ids it expired, in order.

    On PostgreSQL the lock, the move and the events are one statement (``UPDATE … RETURNING`` feeding an
    ``INSERT … SELECT``) and the ids travel as one array; the notices are built in SQL too (``orders_expired_notify``):
    no Python object per order. A sweep after a long outage (``EXPIRY_SPLIT_FROM`` due orders or more) is cut into
    ``settings.SWEEP_CONNECTIONS`` runs, each over the orders of a range of applicants, each its own transaction on
    its own connection, at the same time: the database writes them on as many cores (docs/performance.md, fix 19).
    Each order is still expired with its event, its numbers and its notices in one transaction; the runs share no
    row, not even an account's page version (filings.pagecache), which a cut by order ids would have made the
    second run wait on until the first committed (fix 24).
    """
    from django.conf import settings
    from django.db import connection

    now = now or clock.now()
    reason = str(_("The 45-day validity ran out."))
    parts = getattr(settings, "SWEEP_CONNECTIONS", 1)
    if connection.vendor == "postgresql" and parts > 1 and not connection.in_atomic_block:
        ranges = _due_applicant_ranges(now=now, parts=parts)
        if len(ranges) > 1:
            return _expire_in_parallel(ranges, now=now, reason=reason)
    return _expire_due(now=now, reason=reason)


def _due_applicant_ranges(*, now, parts: int) -> list[tuple[int | None, int | None]]:
    """The applicants with due orders cut into at most ``parts`` ranges holding about as many due orders each, as
    (first applicant id, last applicant id) with the ends open; one open range when fewer than ``EXPIRY_SPLIT_FROM``
    are due. One query (the expiry index). An applicant's due orders all fall in one range."""
    from django.db import connection

    orders = connection.ops.quote_name(FilingOrder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT part, min(applicant_id), count(*) FROM (
                SELECT applicant_id, ntile(%(parts)s) OVER (ORDER BY applicant_id) AS part FROM {orders}
                WHERE status = ANY(%(held)s) AND expires_at <= %(now)s
            ) AS due GROUP BY part ORDER BY part
            """,  # noqa: S608 - the table name from the model, every value a parameter
            {"parts": parts, "held": sorted(APPLICANT_HELD_STATES), "now": now},
        )
        rows = cursor.fetchall()
    if sum(count for _part, _first, count in rows) < EXPIRY_SPLIT_FROM:
        return [(None, None)]
    # A range starts at its first applicant; one with more due orders than a part would otherwise start two.
    firsts = sorted({first for _part, first, _count in rows})
    lasts = [following - 1 for following in firsts[1:]]
    return list(zip([None, *firsts[1:]], [*lasts, None], strict=True))


def _expire_in_parallel(ranges, *, now, reason: str) -> list[int]:
    """``_expire_due`` over each range at once, each in a thread with its own connection (closed after). A run that
    fails leaves its orders due for the next sweep; the others keep what they committed; the first error is raised."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run(bounds):
        try:
            return _expire_due(now=now, reason=reason, first_applicant=bounds[0], last_applicant=bounds[1])
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(ranges), thread_name_prefix="expiry-sweep") as pool:
        futures = [pool.submit(run, bounds) for bounds in ranges]
    for future in futures:
        if future.exception() is not None:
            raise future.exception()
    return sorted(pk for future in futures for pk in future.result())


def _expire_due(
    *, now, reason: str, first_applicant: int | None = None, last_applicant: int | None = None
) -> list[int]:
    """One transaction of the sweep, over the due orders of the applicants with ids from ``first_applicant`` to
    ``last_applicant`` (open if None)."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from ..models import WebsiteApplication

    held = sorted(APPLICANT_HELD_STATES)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            orders = connection.ops.quote_name(FilingOrder._meta.db_table)
            events = connection.ops.quote_name(OrderEvent._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    # Table names from the models, every value a parameter.
                    f"""
                    WITH due AS (
                        SELECT id, status FROM {orders}
                        WHERE status = ANY(%(held)s) AND expires_at <= %(now)s
                          AND (%(first)s::bigint IS NULL OR applicant_id >= %(first)s)
                          AND (%(last)s::bigint IS NULL OR applicant_id <= %(last)s)
                        ORDER BY id FOR UPDATE SKIP LOCKED
                    ), moved AS (
                        UPDATE {orders} AS o
                        SET status = %(expired)s, status_changed_at = %(now)s, completed_at = %(now)s,
                            due_at = NULL, assignee_id = NULL
                        FROM due WHERE o.id = due.id AND o.status = ANY(%(held)s)
                        RETURNING o.id, due.status AS from_status
                    ), written AS (
                        INSERT INTO {events} (order_id, action, from_status, to_status, actor_id, actor_kind,
                                              reason, details, created_at)
                        SELECT id, 'expire', from_status, %(expired)s, NULL, %(system)s, %(reason)s, '{{}}', %(now)s
                        FROM moved
                    )
                    SELECT id FROM moved ORDER BY id
                    """,  # noqa: S608
                    {
                        "held": held,
                        "now": now,
                        "first": first_applicant,
                        "last": last_applicant,
                        "expired": S.EXPIRED,
                        "system": ActorKind.SYSTEM,
                        "reason": reason,
                    },
                )
                ids = [row[0] for row in cursor.fetchall()]
            of_expired = RawSQL("SELECT unnest(%s::bigint[])", (ids,))
        else:
            due = list(
                FilingOrder.objects.select_for_update(skip_locked=True)
                .filter(status__in=held, expires_at__lte=now)
                .order_by("pk")
                .values_list("pk", "status")
            )
            ids = [pk for pk, _status in due]
            # The state field is protected on instances; a set-based update writes it directly, as the sweep must.
            FilingOrder.objects.filter(pk__in=ids, status__in=held).update(
                status=S.EXPIRED, status_changed_at=now, completed_at=now, due_at=None, assignee=None
            )
            OrderEvent.objects.bulk_create(
                OrderEvent(
                    order_id=pk,
                    action="expire",
                    from_status=status,
                    to_status=S.EXPIRED,
                    actor=None,
                    actor_kind=ActorKind.SYSTEM,
                    reason=reason,
                    created_at=now,
                )
                for pk, status in due
            )
            of_expired = ids
        if not ids:
            return []
        numbers = WebsiteApplication.objects.filter(order_id__in=of_expired, service_number__isnull=False)
        website_services.service_numbers_release(service_number_ids=numbers.values("service_number_id"))
        notify.orders_expired_notify(ids)
    return ids


def ensure_not_final(order: FilingOrder) -> None:
    if order.is_final:
        raise OrderError("final", _("This order is closed."))
