"""我的ICP备案信息: the applicant's filed subjects and websites, with what can be done to each."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _

from subjects.constants import RecordStatus
from subjects.models import Subject
from websites.models import Domain, Website

from ..constants import IN_PROCESS_STATES
from ..models import FilingOrder


def _link(label, name, *args):
    try:
        return {"label": label, "url": reverse(name, args=args)}
    except NoReverseMatch:
        return None  # that flow belongs to a part not built yet


def subjects_of(user):
    return (
        Subject.objects.filter(owner=user)
        .select_related("province", "principal")
        .prefetch_related(
            Prefetch(
                "websites",
                queryset=Website.objects.select_related("principal").prefetch_related(
                    Prefetch("domains", queryset=Domain.objects.filter(status=RecordStatus.ACTIVE))
                ),
            )
        )
        .order_by("-filed_at", "-id")
    )


@login_required
def records(request):
    subjects = list(subjects_of(request.user))
    busy = set(
        FilingOrder.objects.filter(subject__in=subjects, status__in=IN_PROCESS_STATES).values_list(
            "subject_id", flat=True
        )
    )
    rows = []
    for subject in subjects:
        active = subject.status == RecordStatus.ACTIVE
        actions = [_link(_("View review history"), "filings:subject_orders", subject.pk)]
        actions.append(_link(_("View details"), "filings:subject_detail", subject.pk))
        if active and subject.pk not in busy:
            actions += [
                _link(_("Change subject"), "filings:change_subject", subject.pk),
                _link(_("Cancel subject"), "filings:cancel_subject", subject.pk),
                _link(_("Add website"), "filings:start"),
            ]
        websites = []
        for website in subject.websites.all():
            website_actions = [_link(_("View details"), "filings:website_detail", website.pk)]
            if active and website.status == RecordStatus.ACTIVE and subject.pk not in busy:
                website_actions += [
                    _link(_("Change website"), "filings:change_website", website.pk),
                    _link(_("Cancel website"), "filings:cancel_website", website.pk),
                    _link(_("Cancel access"), "filings:cancel_access", website.pk),
                ]
            websites.append({"website": website, "actions": [a for a in website_actions if a]})
        rows.append(
            {"subject": subject, "actions": [a for a in actions if a], "websites": websites, "busy": subject.pk in busy}
        )
    return render(request, "filings/records.html", {"rows": rows})


@login_required
def subject_detail(request, pk):
    subject = get_object_or_404(subjects_of(request.user), pk=pk)
    return render(request, "filings/subject_detail.html", {"subject": subject})


@login_required
def subject_orders(request, pk):
    subject = get_object_or_404(Subject.objects.filter(owner=request.user), pk=pk)
    orders = FilingOrder.objects.filter(subject=subject, applicant=request.user).order_by("-created_at")
    return render(request, "filings/subject_orders.html", {"subject": subject, "orders": orders})


urlpatterns = [
    path("records/", records, name="records"),
    path("records/subjects/<int:pk>/", subject_detail, name="subject_detail"),
    path("records/subjects/<int:pk>/orders/", subject_orders, name="subject_orders"),
]
