"""Who may do what in the back office: the same rule as ``filings.services`` (reviewers are the Reviewers or
Supervisors group; the holder of an order or a supervisor decides it), with the messages people read."""

from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from filings.errors import NotPermitted


def is_reviewer(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.has_role(Role.REVIEWER) or user.has_role(Role.SUPERVISOR))
    )


def is_supervisor(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.has_role(Role.SUPERVISOR)


def holds(order, user) -> bool:
    """The reviewer holding the order, or a supervisor."""
    return is_reviewer(user) and (order.assignee_id == user.pk or is_supervisor(user))


def check_reviewer(user) -> None:
    if not is_reviewer(user):
        raise NotPermitted("not_a_reviewer", _("Only the provider's reviewers can do this."))


def check_supervisor(user) -> None:
    if not is_supervisor(user):
        raise NotPermitted("supervisors_only", _("Only a supervisor can do this."))


def check_holder(order, user) -> None:
    check_reviewer(user)
    if order.assignee_id is None and not is_supervisor(user):
        raise NotPermitted("not_claimed", _("Claim this order before deciding it."))
    if not holds(order, user):
        raise NotPermitted(
            "held_by_another_reviewer",
            _("%(name)s holds this order. Only they or a supervisor can decide it.")
            % {"name": order.assignee.get_short_name() if order.assignee else "—"},
        )
