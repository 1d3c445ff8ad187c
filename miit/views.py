"""The administration's own pages (the real ones live at beian.miit.gov.cn and the provincial administrations' sites):
the provincial SMS verification page and its resend page, the ICP password retrieval (找回备案密码) and the public
query (公共查询). Anonymous, rate-limited per IP, and each form carries the slider check (``puzzle``)."""

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import publicpages
from regions.models import Region

from . import ratelimit, selectors, services
from .forms import PasswordRetrieveForm, PublicQueryForm, SmsResendForm, SmsVerifyForm
from .puzzle import puzzle_new, puzzle_solved
from .simulator import sms

# Per IP: a person needs a few tries; a script hits the wall soon.
VERIFY_LIMIT = (20, 600)  # 20 verification attempts in 10 minutes
RESEND_LIMIT = (10, 3600)
PASSWORD_LIMIT = (5, 3600)
PASSWORD_PER_CERTIFICATE_LIMIT = (3, 86400)
QUERY_LIMIT = (30, 60)


def _province(code: str) -> Region:
    province = Region.objects.filter(pk=code, level="province", is_mainland=True).exclude(abbreviation="").first()
    if province is None:
        raise Http404
    return province


def _too_many(request, *, status=429):
    return render(request, "miit/rate_limited.html", status=status)


def _accepted(form, solved: bool) -> bool:
    """The form is valid and the slider was in the gap; a missed slider is shown beside it either way."""
    valid = form.is_valid()
    if not solved:
        form.add_error("slider", _("Slide the block exactly into the gap."))
    return valid and solved


def sms_provinces(request):
    provinces = Region.objects.filter(level="province", is_mainland=True).exclude(abbreviation="").order_by("code")
    return render(request, "miit/sms_provinces.html", {"provinces": provinces})


@require_http_methods(["GET", "POST"])
def sms_verify(request, province_code):
    """短信核验: mobile, code, the last six characters of the ID, and the slider."""
    province = _province(province_code)
    done = None
    if request.method == "POST":
        solved = puzzle_solved(request, "sms_verify", request.POST.get("slider"))
        form = SmsVerifyForm(request.POST, target=puzzle_new(request, "sms_verify"))
        if _accepted(form, solved):
            if not ratelimit.allow(
                "sms_verify", ratelimit.client_ip(request), limit=VERIFY_LIMIT[0], window_seconds=VERIFY_LIMIT[1]
            ):
                return _too_many(request)
            try:
                done = sms.sms_verify(
                    province_code=province.pk,
                    mobile=form.cleaned_data["mobile"],
                    code=form.cleaned_data["code"],
                    id_number_suffix=form.cleaned_data["id_suffix"],
                )
            except sms.SmsError as exc:
                form.add_error("id_suffix" if exc.code.startswith("wrong_id") else None, exc.message)
            else:
                form = SmsVerifyForm(target=puzzle_new(request, "sms_verify"))
    else:
        form = SmsVerifyForm(target=puzzle_new(request, "sms_verify"))
    return render(request, "miit/sms_verify.html", {"province": province, "form": form, "done": done})


@require_http_methods(["GET", "POST"])
def sms_resend(request, province_code):
    """重新发送验证码: a new code to a mobile with a verification open in this province."""
    province = _province(province_code)
    if request.method == "POST":
        solved = puzzle_solved(request, "sms_resend", request.POST.get("slider"))
        form = SmsResendForm(request.POST, target=puzzle_new(request, "sms_resend"))
        if _accepted(form, solved):
            if not ratelimit.allow(
                "sms_resend", ratelimit.client_ip(request), limit=RESEND_LIMIT[0], window_seconds=RESEND_LIMIT[1]
            ):
                return _too_many(request)
            try:
                sms.sms_resend(province_code=province.pk, mobile=form.cleaned_data["mobile"])
            except sms.SmsError as exc:
                form.add_error("mobile" if exc.code == "invalid_mobile" else None, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "If a verification is waiting for this mobile number, a new code has been sent to it. The "
                        "earlier code no longer works."
                    ),
                )
                return redirect("miit:sms_verify", province_code=province.pk)
    else:
        form = SmsResendForm(target=puzzle_new(request, "sms_resend"))
    return render(request, "miit/sms_resend.html", {"province": province, "form": form})


@require_http_methods(["GET", "POST"])
def password_retrieve(request):
    """找回备案密码: the subject's certificate and its principal's mobile; a new password goes to that mobile."""
    sent = False
    if request.method == "POST":
        solved = puzzle_solved(request, "password", request.POST.get("slider"))
        form = PasswordRetrieveForm(request.POST, target=puzzle_new(request, "password"))
        if _accepted(form, solved):
            data = form.cleaned_data
            certificate = (
                f"{data['certificate_type']}:{selectors.normalise_certificate_number(data['certificate_number'])}"
            )
            if not (
                ratelimit.allow(
                    "password", ratelimit.client_ip(request), limit=PASSWORD_LIMIT[0], window_seconds=PASSWORD_LIMIT[1]
                )
                and ratelimit.allow(
                    "password_certificate",
                    certificate,
                    limit=PASSWORD_PER_CERTIFICATE_LIMIT[0],
                    window_seconds=PASSWORD_PER_CERTIFICATE_LIMIT[1],
                )
            ):
                return _too_many(request)
            services.subject_password_retrieve(
                certificate_type=data["certificate_type"],
                certificate_number=data["certificate_number"],
                mobile=data["mobile"],
            )
            sent = True
            form = PasswordRetrieveForm(target=puzzle_new(request, "password"))
    else:
        form = PasswordRetrieveForm(target=puzzle_new(request, "password"))
    return render(request, "miit/password_retrieve.html", {"form": form, "sent": sent})


def _query_allowed(request) -> bool:
    return ratelimit.allow("query", ratelimit.client_ip(request), limit=QUERY_LIMIT[0], window_seconds=QUERY_LIMIT[1])


def public_query(request):
    """公共查询: by domain, ICP number or subject name.

    For anonymous visitors the page is kept in the cache while the registry stays as it is (``core.publicpages``,
    under ``RegistryVersion``, which triggers move); a kept answer to a search still counts against the address's
    limit."""
    key = publicpages.cache_key(request, "miit-query", selectors.registry_version)
    kept = cache.get(key) if key else None
    if kept is not None:
        content, searched = kept
        if searched and not _query_allowed(request):
            return _too_many(request)
        return publicpages.page_for_visitor(request, content)
    results, searched = [], False
    if "q" in request.GET:
        form = PublicQueryForm(request.GET)
        if form.is_valid():
            if not _query_allowed(request):
                return _too_many(request)
            results = selectors.public_query(kind=form.cleaned_data["kind"], q=form.cleaned_data["q"])
            searched = True
    else:
        form = PublicQueryForm(initial={"kind": "domain"})
    context = {"form": form, "results": results, "searched": searched}
    if key is None:
        return render(request, "miit/public_query.html", context)
    content = render_to_string("miit/public_query.html", {**context, "csrf_token": publicpages.TOKEN_SLOT}, request)
    cache.set(key, (content, searched), publicpages.TIMEOUT)
    return publicpages.page_for_visitor(request, content)
