"""Which filings use my ID? — three steps: name and document, the SMS code to a mobile on record, the masked list
with a way to report misuse (filings.identity). The document number and the mobiles stay in the session only
encrypted, and only until the list is shown."""

import ipaddress
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import crypto, mobile_codes
from websites.models import IdentityLookup

from .. import identity
from ..forms.lifecycle import IdentityCodeForm, IdentityLookupForm, MisuseReportForm

SESSION_KEY = "filings:identity"
PURPOSE = "filings.identity-lookup"


def _client_ip(request) -> str | None:
    # REMOTE_ADDR as the proxy in front sets it (the same source the sign-in lock-out and the material log use).
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def _state(request) -> dict | None:
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    secret = crypto.decrypt(state.get("secret", ""), purpose=PURPOSE)
    if secret is None:
        return None
    return {"lookup": state["lookup"], **json.loads(secret)}


@login_required
@require_http_methods(["GET", "POST"])
def identity_lookup(request):
    form = IdentityLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lookup, mobiles = identity.identity_lookup_start(
                user=request.user,
                ip=_client_ip(request),
                name=data["name"],
                certificate_type=data["certificate_type"],
                certificate_number=data["certificate_number"],
            )
        except identity.LookupRefused as exc:
            form.add_error(None, exc.message)
        else:
            secret = {
                "name": data["name"],
                "certificate_type": data["certificate_type"],
                "certificate_number": data["certificate_number"],
                "mobiles": mobiles,
            }
            request.session[SESSION_KEY] = {
                "lookup": lookup.pk,
                "secret": crypto.encrypt(json.dumps(secret, ensure_ascii=False), purpose=PURPOSE),
            }
            return redirect("filings:identity_lookup_code")
    return render(request, "filings/lifecycle/identity_lookup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def identity_lookup_code(request):
    state = _state(request)
    if state is None:
        return redirect("filings:identity_lookup")
    mobiles = state["mobiles"]
    masked = [identity.mask_mobile(mobile) for mobile in mobiles]
    form = IdentityCodeForm(request.POST or None, mobiles=masked)
    if request.method == "POST" and form.is_valid():
        mobile = mobiles[form.cleaned_data["mobile"]]
        try:
            if request.POST.get("action") == "send":
                identity.identity_lookup_send_code(user=request.user, lookup_id=state["lookup"], mobile=mobile)
                messages.success(
                    request, _("A verification code was sent to %(mobile)s.") % {"mobile": identity.mask_mobile(mobile)}
                )
                return redirect("filings:identity_lookup_code")
            records = identity.identity_lookup_verify(
                user=request.user,
                lookup_id=state["lookup"],
                mobile=mobile,
                code=form.cleaned_data["code"],
                name=state["name"],
                certificate_type=state["certificate_type"],
                certificate_number=state["certificate_number"],
            )
        except mobile_codes.CodeError as exc:
            form.add_error("code", exc.message)
        except identity.LookupRefused as exc:
            request.session.pop(SESSION_KEY, None)
            messages.error(request, exc.message)
            return redirect("filings:identity_lookup")
        else:
            request.session.pop(SESSION_KEY, None)
            lookup = IdentityLookup.objects.get(pk=state["lookup"], user=request.user)
            report = MisuseReportForm(numbers=lookup.result_numbers)
            return render(
                request,
                "filings/lifecycle/identity_results.html",
                {"records": records, "lookup": lookup, "report_form": report},
            )
    return render(request, "filings/lifecycle/identity_code.html", {"form": form, "single": len(mobiles) == 1})


@login_required
@require_POST
def identity_lookup_report(request, pk):
    lookup = IdentityLookup.objects.filter(pk=pk, user=request.user).first()
    if lookup is None:
        raise Http404  # another account's lookup looks like a missing one (DESIGN.md, "Who sees what")
    form = MisuseReportForm(request.POST, numbers=lookup.result_numbers)
    if form.is_valid():
        try:
            identity.identity_lookup_report(
                user=request.user,
                lookup_id=pk,
                numbers=form.cleaned_data["numbers"],
                note=form.cleaned_data["note"],
            )
        except identity.LookupRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your report is recorded and our staff will take it up with the administration. "
                    "You can also ask the administration to cancel a filing made with your ID."
                ),
            )
    else:
        messages.error(request, _("Choose the records that are not yours."))
    return redirect("filings:identity_lookup")


urlpatterns = [
    path("identity/", identity_lookup, name="identity_lookup"),
    path("identity/code/", identity_lookup_code, name="identity_lookup_code"),
    path("identity/<int:pk>/report/", identity_lookup_report, name="identity_lookup_report"),
]
