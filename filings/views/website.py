"""A filed website's page (查看详情信息): its filing, the PSB record beside it with the footer snippet, and what the
province's ICP licence IP rule means for its instances; and the licence information page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subjects.constants import RecordStatus

from .. import licence, lifecycle, psb
from ..forms.lifecycle import PsbRecordForm


def _website_context(website, form=None) -> dict:
    status = psb.psb_status(website)
    refusal = lifecycle.lifecycle_refusal(website.subject, website=website)
    active = website.status == RecordStatus.ACTIVE and website.subject.status == RecordStatus.ACTIVE
    return {
        "website": website,
        "subject": website.subject,
        "domains": lifecycle.active_domains(website),
        "active": active,
        "psb": status,
        "psb_form": form
        or PsbRecordForm(
            initial={
                "opening_date": status.opening_date if status.opening_date_given else None,
                "psb_number": status.psb_number,
            }
        ),
        "snippet": psb.psb_footer_snippet(icp_number=website.icp_number or "", psb_number=status.psb_number)
        if website.icp_number
        else "",
        "licence_notes": licence.licence_notes(website) if active else [],
        "actions_open": active and refusal is None,
        "refusal": refusal if active else None,
    }


@login_required
def website_detail(request, pk):
    website = get_object_or_404(lifecycle.websites_of(request.user), pk=pk)
    return render(request, "filings/lifecycle/website_detail.html", _website_context(website))


@login_required
@require_POST
def psb_record(request, pk):
    website = get_object_or_404(lifecycle.websites_of(request.user), pk=pk)
    form = PsbRecordForm(request.POST)
    if form.is_valid():
        try:
            psb.psb_record_save(
                actor=request.user,
                website_id=website.pk,
                opening_date=form.cleaned_data["opening_date"],
                psb_number=form.cleaned_data["psb_number"],
            )
        except psb.PsbError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("The PSB record is saved."))
            return redirect("filings:website_detail", pk=website.pk)
    return render(request, "filings/lifecycle/website_detail.html", _website_context(website, form), status=400)


@login_required
def licence_information(request):
    """ICP commercial licence: the provinces' IP rules (information only) and how the applicant's websites fare."""
    websites = list(
        lifecycle.websites_of(request.user).filter(status=RecordStatus.ACTIVE, subject__status=RecordStatus.ACTIVE)
    )
    rows = [{"website": website, "notes": licence.licence_notes(website)} for website in websites]
    return render(
        request,
        "filings/lifecycle/licence.html",
        {"rules": licence.licence_rules(), "rows": [row for row in rows if row["notes"]]},
    )


urlpatterns = [
    path("records/websites/<int:pk>/", website_detail, name="website_detail"),
    path("records/websites/<int:pk>/psb/", psb_record, name="psb_record"),
    path("licence/", licence_information, name="licence"),
]
