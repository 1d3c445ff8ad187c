"""开始备案 / 验证备案类型: the first page, the detected type, and the draft it starts.

POST /filing/start/ checks the form and the CAPTCHA and runs the detection; a refusal is shown beside its field
(error summary on top), a detected type is kept in the session and shown at /filing/start/result/ (so a reload
never re-posts the CAPTCHA). Starting from there runs the detection again — the registry or the applicant's orders
may have changed meanwhile — and opens the draft.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from regions import selectors as region_selectors
from subjects.constants import CertificateType, SubjectNature

from ..constants import OrderType
from ..detection import Detection, detect_filing_type
from ..errors import OrderError
from ..forms.start import StartFilingForm, certificate_type_choices
from ..models import FilingOrder
from ..services.drafts import order_create_draft

SESSION_KEY = "filings:start"

# What each type means and what happens next, in plain words (GOV.UK: say what happens next on every page).
TYPE_EXPLANATIONS = {
    OrderType.FIRST_FILING: (
        _("Neither this subject nor this domain has been filed before."),
        _(
            "You will enter the subject, the website and their principals, upload the materials and have the "
            "principal's photo taken. We check the application within one working day, then submit it to the "
            "communications administration, which reviews it."
        ),
    ),
    OrderType.ADD_WEBSITE: (
        _("This subject is already filed with us; the domain is new."),
        _(
            "You will add a website to the subject: the subject's details are copied from its filing, and you "
            "enter the new website and its principal, upload the materials and have the photo taken."
        ),
    ),
    OrderType.ADD_WEBSITE_NEW_USER: (
        _("This subject is filed through another provider; the domain is new."),
        _(
            "You will add a website to the subject here. Enter the subject's details exactly as filed, then the "
            "new website and its principal, upload the materials and have the photo taken."
        ),
    ),
    OrderType.TRANSFER_IN: (
        _("This domain is filed for this subject through another provider."),
        _(
            "You will move the website's access to us (接入备案). You need the subject's ICP filing password issued "
            "by the administration: it is forwarded to the administration, which checks it."
        ),
    ),
    OrderType.CONTINUE_TRANSFER_IN: (
        _("This subject already has websites with us; this domain is still filed through another provider."),
        _(
            "You will move this website's access to us as well. The subject's details are copied from its filing; "
            "you enter the website and its principal and upload the materials."
        ),
    ),
    OrderType.CLAIM: (
        _("This filing was made through HiChina before June 2010 and has never moved."),
        _(
            "You will claim it: upload the subject's and the principal's certificates for our review. No new filing "
            "is needed and the administration is not involved."
        ),
    ),
}


def _draft_url(order: FilingOrder) -> str:
    for name in ("filings:wizard", "filings:order_detail"):
        try:
            return reverse(name, args=[order.number])
        except NoReverseMatch:
            continue
    return reverse("filings:start_created", args=[order.number])


def _detect(request, data: dict) -> tuple[Detection | None, dict]:
    """Run the detection on what was entered (a form's or the session's codes); None if the region is gone."""
    province = region_selectors.get_region(data.get("province"))
    if province is None:
        return None, {}
    detection = detect_filing_type(
        applicant=request.user,
        province=province,
        nature=data["nature"],
        certificate_type=data["certificate_type"],
        certificate_number=data["certificate_number"],
        domain=data["domain"],
    )
    places = {
        "city": region_selectors.get_region(data.get("city")),
        "district": region_selectors.get_region(data.get("district")),
    }
    return detection, places


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    if request.method == "POST":
        form = StartFilingForm(request.POST)
        if form.is_valid():
            data = form.session_data()
            detection, _places = _detect(request, data)
            for finding in detection.refusals if detection else ():
                form.add_error(finding.field if finding.field in form.fields else None, str(finding.message))
            if detection is not None and detection.ok:
                request.session[SESSION_KEY] = data
                return redirect("filings:start_result")
    else:
        initial = request.session.get(SESSION_KEY) or {}
        form = StartFilingForm(initial=initial)
    return render(request, "filings/start/start.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def start_result(request):
    data = request.session.get(SESSION_KEY)
    if not data:
        return redirect("filings:start")
    detection, places = _detect(request, data)
    if detection is None or not detection.ok:
        for finding in detection.refusals if detection else ():
            messages.error(request, finding.message)
        return redirect("filings:start")

    if request.method == "POST":
        try:
            order = order_create_draft(
                applicant=request.user,
                order_type=detection.order_type,
                province=detection.province,
                nature=detection.nature,
                certificate_type=detection.certificate_type,
                certificate_number=detection.certificate_number,
                domain=detection.domain,
                subject=detection.subject,
                city=places["city"],
                district=places["district"],
            )
        except OrderError as exc:
            messages.error(request, exc.message)
            return redirect("filings:start")
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            _("Order %(number)s is open as a draft. It stays valid for 45 days.") % {"number": order.number},
        )
        return redirect(_draft_url(order))

    meaning, next_steps = TYPE_EXPLANATIONS[detection.order_type]
    region_names = [r.name for r in (detection.province, places["city"], places["district"]) if r and not r.is_grouping]
    context = {
        "detection": detection,
        "order_type_label": OrderType(detection.order_type).label,
        "meaning": meaning,
        "next_steps": next_steps,
        "region_name": "".join(region_names),
        "nature_label": SubjectNature(detection.nature).label,
        "certificate_type_label": CertificateType(detection.certificate_type).label,
    }
    return render(request, "filings/start/result.html", context)


@login_required
@require_GET
def certificate_type_options(request):
    """The certificate type ``<option>``s of a nature (htmx swaps them into the select)."""
    nature = request.GET.get("nature", "")
    choices = certificate_type_choices(nature)
    selected = choices[1][0] if len(choices) == 2 else ""
    return render(request, "filings/start/certificate_type_options.html", {"choices": choices, "selected": selected})


@login_required
@require_GET
def start_created(request, number):
    """Where a new draft lands while the application wizard is not there yet."""
    order = get_object_or_404(FilingOrder, number=number, applicant=request.user)
    return render(request, "filings/start/created.html", {"order": order})


urlpatterns = [
    path("start/", start, name="start"),
    path("start/result/", start_result, name="start_result"),
    path("start/certificate-types/", certificate_type_options, name="start_certificate_types"),
    path("start/created/<str:number>/", start_created, name="start_created"),
]
