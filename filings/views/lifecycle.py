"""变更主体 / 变更网站, 注销主体 / 注销网站 / 取消接入, 继续接入备案: the pages that start them from 我的ICP备案信息.

Each page shows what the action does and, when it cannot start, why and the way out (a refusal is a page, not an
error). Starting is a POST; the draft then goes through the ordinary wizard. Every query starts from the user:
another account's record answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from subjects.constants import RecordStatus

from .. import lifecycle, selectors
from ..constants import OrderType
from ..errors import OrderError
from ..forms.lifecycle import CancellationForm, ContinueTransferInForm

CANCELLATION_PAGES = {
    OrderType.CANCEL_SUBJECT: "cancel_subject",
    OrderType.CANCEL_WEBSITE: "cancel_website",
    OrderType.CANCEL_ACCESS: "cancel_access",
}


def _way_out(refusal, subject, website=None) -> list[dict]:
    """The links a refusal offers, in plain words."""
    if refusal is None:
        return []
    if refusal.way_out == lifecycle.WAY_OUT_OPEN_ORDER:
        return [
            {
                "label": _("Open order %(number)s") % {"number": refusal.order_number},
                "url": reverse("filings:order_detail", args=[refusal.order_number]),
            }
        ]
    if refusal.way_out == lifecycle.WAY_OUT_CANCEL_AND_REFILE:
        links = []
        if website is not None:
            links.append(
                {"label": _("Cancel this website"), "url": reverse("filings:cancel_website", args=[website.pk])}
            )
        links.append({"label": _("Cancel the subject"), "url": reverse("filings:cancel_subject", args=[subject.pk])})
        links.append({"label": _("Start a new filing"), "url": reverse("filings:start")})
        return links
    if refusal.way_out == lifecycle.WAY_OUT_ADD_WEBSITE:
        return [{"label": _("Add website"), "url": reverse("filings:start")}]
    return []


def _started(request, order):
    messages.success(
        request,
        _("Order %(number)s is open as a draft. Your filed record stays as it is until the administration approves.")
        % {"number": order.number},
    )
    return redirect("filings:wizard", number=order.number)


# --- changes ---------------------------------------------------------------------------------------------------------


def _change_page(request, *, subject, website=None):
    refusal = lifecycle.lifecycle_refusal(subject, website=website, change=True)
    if request.method == "POST" and refusal is None:
        try:
            if website is None:
                order = lifecycle.change_subject_start(applicant=request.user, subject_id=subject.pk)
            else:
                order = lifecycle.change_website_start(applicant=request.user, website_id=website.pk)
        except lifecycle.LifecycleRefused as exc:
            refusal = exc
        except OrderError as exc:
            messages.error(request, exc.message)
        else:
            return _started(request, order)
    context = {
        "subject": subject,
        "website": website,
        "domains": lifecycle.active_domains(website) if website else [],
        "refusal": refusal,
        "way_out": _way_out(refusal, subject, website),
    }
    return render(
        request, "filings/lifecycle/change.html", context, status=409 if refusal and request.method == "POST" else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_subject(request, pk):
    subject = get_object_or_404(lifecycle.subjects_of(request.user), pk=pk)
    return _change_page(request, subject=subject)


@login_required
@require_http_methods(["GET", "POST"])
def change_website(request, pk):
    website = get_object_or_404(lifecycle.websites_of(request.user), pk=pk)
    return _change_page(request, subject=website.subject, website=website)


@login_required
def order_changes(request, number):
    """What a change order changes, beside the filed record (the reviewer sees the same comparison)."""
    order = selectors.order_of(request.user, number)
    return render(
        request, "filings/lifecycle/order_changes.html", {"order": order, "changes": lifecycle.order_changes(order)}
    )


# --- cancellations ---------------------------------------------------------------------------------------------------


def _cancel_page(request, *, order_type, subject, website=None):
    refusal = lifecycle.lifecycle_refusal(subject, website=website)
    form = CancellationForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            order = lifecycle.cancellation_start(
                applicant=request.user,
                order_type=order_type,
                icp_password=form.cleaned_data["icp_password"],
                subject_id=subject.pk,
                website_id=website.pk if website else None,
            )
        except lifecycle.LifecycleRefused as exc:
            refusal = exc
        except OrderError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Order %(number)s is open. Upload the signed verification form and the principal's ID, then "
                    "submit it: we check it within one working day and forward it to the administration."
                )
                % {"number": order.number},
            )
            return redirect("filings:wizard", number=order.number)
    domains = lifecycle.active_domains(website) if website else []
    context = {
        "order_type": order_type,
        "page": CANCELLATION_PAGES[order_type],
        "subject": subject,
        "website": website,
        "domains": domains,
        "ending_websites": list(subject.websites.filter(status=RecordStatus.ACTIVE).prefetch_related("domains"))
        if website is None
        else [],
        # 删除多个域名中的一个是变更网站, 不是注销 (seed chapter 7).
        "several_domains": len(domains) > 1,
        "form": form,
        "refusal": refusal,
        "way_out": _way_out(refusal, subject, website),
    }
    return render(request, "filings/lifecycle/cancel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_subject(request, pk):
    subject = get_object_or_404(lifecycle.subjects_of(request.user), pk=pk)
    return _cancel_page(request, order_type=OrderType.CANCEL_SUBJECT, subject=subject)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_website(request, pk):
    website = get_object_or_404(lifecycle.websites_of(request.user), pk=pk)
    return _cancel_page(request, order_type=OrderType.CANCEL_WEBSITE, subject=website.subject, website=website)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_access(request, pk):
    website = get_object_or_404(lifecycle.websites_of(request.user), pk=pk)
    return _cancel_page(request, order_type=OrderType.CANCEL_ACCESS, subject=website.subject, website=website)


# --- continued transfer-in -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def continue_transfer_in(request, pk):
    subject = get_object_or_404(lifecycle.subjects_of(request.user), pk=pk)
    refusal = lifecycle.lifecycle_refusal(subject)
    form = ContinueTransferInForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            detection, order = lifecycle.continue_transfer_in_start(
                applicant=request.user, subject_id=subject.pk, domain=form.cleaned_data["domain"]
            )
        except lifecycle.LifecycleRefused as exc:
            refusal = exc
        except OrderError as exc:
            form.add_error(None, exc.message)
        else:
            if order is not None:
                messages.success(
                    request,
                    _("Order %(number)s is open as a draft. It stays valid for 45 days.") % {"number": order.number},
                )
                return redirect("filings:wizard", number=order.number)
            for finding in detection.refusals:
                form.add_error("domain" if finding.field == "domain" else None, str(finding.message))
    context = {"subject": subject, "form": form, "refusal": refusal, "way_out": _way_out(refusal, subject)}
    return render(request, "filings/lifecycle/continue_transfer_in.html", context)


urlpatterns = [
    path("records/subjects/<int:pk>/change/", change_subject, name="change_subject"),
    path("records/subjects/<int:pk>/cancel/", cancel_subject, name="cancel_subject"),
    path("records/subjects/<int:pk>/continue-transfer-in/", continue_transfer_in, name="continue_transfer_in"),
    path("records/websites/<int:pk>/change/", change_website, name="change_website"),
    path("records/websites/<int:pk>/cancel/", cancel_website, name="cancel_website"),
    path("records/websites/<int:pk>/cancel-access/", cancel_access, name="cancel_access"),
    path("orders/<str:number>/changes/", order_changes, name="order_changes"),
]
