"""The application wizard: a task list, one page per part, the pre-check page and the 确认提交 step.

Pages save whatever was typed (drafts save and resume); the shared validators' findings are shown beside the
fields once a page has been saved, and every remaining problem is listed on the pre-check page, where 提交 stays
disabled until none is left. Every write goes through ``filings.services``.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import mobile_codes
from core.findings import Finding
from websites.services import ServiceNumberError
from websites.validation import InvalidDomain, normalise_domain

from .. import precheck, selectors, services
from ..checks import SUBJECT_EDIT_TYPES, order_people
from ..constants import CANCELLATION_TYPES, PASSWORD_TYPES, WEBSITE_TYPES, OrderStatus
from ..errors import OrderError
from ..forms.wizard import DomainAddForm, IcpPasswordForm, PersonForm, ServiceNumberForm, SubjectForm, WebsiteForm
from ..wizard_labels import place_of


# --- helpers -------------------------------------------------------------------------------------------------------
def _editable_order(request, number):
    """The applicant's order, or a redirect to its status page when it cannot be edited now."""
    order = selectors.order_of(request.user, number)
    if not order.is_editable:
        messages.info(request, _("This order cannot be edited now."))
        return order, redirect("filings:order_detail", number=order.number)
    return order, None


def _by_field(findings: list[Finding], prefix: str) -> dict[str, dict[str, list]]:
    """Findings under ``prefix`` keyed by the next path part: {"name": {"errors": [...], "warnings": [...]}}."""
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: {"errors": [], "warnings": []})
    for finding in findings:
        if finding.field == prefix or finding.field.startswith(prefix + "."):
            rest = finding.field[len(prefix) + 1 :]
            key = rest.split(".", 1)[0] if rest else ""
            grouped[key]["errors" if finding.is_error else "warnings"].append(finding.message)
    return grouped


def _rows(form, grouped, remarks=None, remark_prefix=""):
    """(bound field, errors, warnings, reviewer remarks) for each visible field of ``form``."""
    remarks = remarks or {}
    rows = []
    for field in form.visible_fields():
        name = field.name
        found = grouped.get(name, {"errors": [], "warnings": []})
        rows.append(
            {
                "field": field,
                "errors": found["errors"],
                "warnings": found["warnings"],
                "remarks": remarks.get(f"{remark_prefix}.{name}" if remark_prefix else name, []),
            }
        )
    return rows


def _summary(rows_list) -> list[dict]:
    items = []
    for rows in rows_list:
        for row in rows:
            for message in row["errors"]:
                items.append({"id": row["field"].auto_id, "label": row["field"].label, "message": message})
    return items


def _checked(request) -> bool:
    return request.GET.get("checked") == "1"


def _saved_redirect(name, order, *args):
    return redirect(reverse(name, args=[order.number, *args]) + "?checked=1")


def _sections(order, findings):
    """The task list (GOV.UK pattern): each part of the application with its state."""

    def state(prefixes, started):
        relevant = [
            f for f in findings if f.is_error and any(f.field == p or f.field.startswith(p + ".") for p in prefixes)
        ]
        if not started:
            return "not_started"
        return "in_progress" if relevant else "completed"

    websites = list(order.websites.all())
    subject = order.subject_application
    sections = []
    if order.order_type in PASSWORD_TYPES:
        sections.append(
            {
                "label": _("Verify the ICP filing password"),
                "url": reverse("filings:wizard_password", args=[order.number]),
                "state": state(["icp_password"], bool(order.icp_password_encrypted)),
            }
        )
    if order.order_type in WEBSITE_TYPES:
        prefixes = [f"websites.{i}.service_number" for i in range(len(websites))]
        sections.append(
            {
                "label": _("Verify service numbers"),
                "url": reverse("filings:wizard_service_numbers", args=[order.number]),
                "state": state(prefixes, any(w.service_number_id for w in websites)),
            }
        )
    if order.order_type not in CANCELLATION_TYPES:
        person_prefixes = [f"people.{subject.principal_id}"] if subject.principal_id else []
        sections.append(
            {
                "label": _("Subject information"),
                "url": reverse("filings:wizard_subject", args=[order.number]),
                "state": state(["subject", *person_prefixes], bool(subject.name or subject.principal_id)),
            }
        )
    if order.order_type in WEBSITE_TYPES:
        for index, website in enumerate(websites):
            prefixes = [f"websites.{index}"] + ([f"people.{website.principal_id}"] if website.principal_id else [])
            sections.append(
                {
                    "label": _("Website %(n)d: %(name)s")
                    % {"n": index + 1, "name": website.name or _("(unnamed website)")},
                    "url": reverse("filings:wizard_website", args=[order.number, index]),
                    "state": state(prefixes, bool(website.name)),
                }
            )
    sections.append(
        {
            "label": _("Upload filing materials"),
            "url": reverse("filings:wizard_materials", args=[order.number]),
            "state": state(["materials"], order.materials.exists()),
        }
    )
    return sections


# --- pages ---------------------------------------------------------------------------------------------------------


@login_required
def wizard(request, number):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    findings = precheck.order_precheck(order)
    context = {
        "order": order,
        "sections": _sections(order, findings),
        "error_count": sum(1 for f in findings if f.is_error),
        "remarks": selectors.remarks_by_field(order),
        "subject_editable": order.order_type in SUBJECT_EDIT_TYPES,
    }
    return render(request, "filings/wizard/task_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_service_numbers(request, number):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    websites = list(order.websites.all())
    errors = {}
    if request.method == "POST":
        for website in websites:
            value = (request.POST.get(f"number-{website.pk}") or "").strip()
            if not value or (website.service_number and value.upper() == website.service_number.number):
                continue
            try:
                services.application_bind_service_number(
                    order_id=order.pk, actor=request.user, website_id=website.pk, number=value
                )
            except ServiceNumberError as exc:
                errors[website.pk] = exc.message
            except OrderError as exc:
                errors[website.pk] = exc.message
        if not errors:
            messages.success(request, _("Service numbers saved."))
            if request.POST.get("action") == "next":
                return redirect("filings:wizard_subject", number=order.number)
            return redirect("filings:wizard_service_numbers", number=order.number)
        websites = list(selectors.order_of(request.user, number).websites.all())
    rows = [
        {
            "website": website,
            "index": index,
            "form": ServiceNumberForm(
                prefix=f"w{website.pk}",
                initial={"number": website.service_number.number if website.service_number else ""},
            ),
            "error": errors.get(website.pk),
            "value": request.POST.get(f"number-{website.pk}") if request.method == "POST" else "",
        }
        for index, website in enumerate(websites)
    ]
    return render(
        request,
        "filings/wizard/service_numbers.html",
        {"order": order, "rows": rows, "errors": errors},
    )


@login_required
@require_http_methods(["GET", "POST"])
def wizard_password(request, number):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    form = IcpPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.order_set_icp_password(order=order, actor=request.user, password=form.cleaned_data["icp_password"])
        messages.success(request, _("The ICP password is saved. It is sent to the administration with the order."))
        return redirect("filings:wizard", number=order.number)
    return render(request, "filings/wizard/password.html", {"order": order, "form": form})


def _handle_person_post(request, order, form, person, *, purpose_redirect):
    """Save a principal; "Get verification code" saves and sends; a code typed in is checked."""
    action = request.POST.get("action", "save")
    saved = services.application_save_person(
        order_id=order.pk, actor=request.user, data=form.person_data(), person_id=person.pk if person else None
    )
    if action == "send_code":
        try:
            services.application_send_mobile_code(order_id=order.pk, actor=request.user, mobile=saved.mobile)
        except mobile_codes.CodeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("A verification code was sent to %(mobile)s. It is valid for 5 minutes.") % {"mobile": saved.mobile},
            )
    elif form.cleaned_data.get("code"):
        try:
            services.application_verify_mobile(
                order_id=order.pk, actor=request.user, person_id=saved.pk, code=form.cleaned_data["code"]
            )
        except mobile_codes.CodeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The mobile number is verified."))
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def wizard_subject(request, number):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    subject = order.subject_application
    principal = subject.principal
    editable = order.order_type in SUBJECT_EDIT_TYPES
    subject_form = SubjectForm(request.POST or None, instance=subject, prefix="subject")
    person_form = PersonForm(request.POST or None, instance=principal, prefix="principal")
    if request.method == "POST" and subject_form.is_valid() and person_form.is_valid():
        if editable:
            services.application_save_subject(order_id=order.pk, actor=request.user, data=subject_form.cleaned_data)
        saved = _handle_person_post(request, order, person_form, principal, purpose_redirect=None)
        if principal is None:
            services.application_set_subject_principal(order_id=order.pk, actor=request.user, person_id=saved.pk)
        if request.POST.get("action") == "next":
            # The next page opens fresh: its findings show once the applicant has saved it.
            if order.websites.exists():
                return redirect("filings:wizard_website", number=order.number, index=0)
            return redirect("filings:wizard_materials", number=order.number)
        return _saved_redirect("filings:wizard_subject", order)
    findings = precheck.order_precheck(order) if _checked(request) else []
    remarks = selectors.remarks_by_field(order)
    subject_rows = _rows(subject_form, _by_field(findings, "subject"), remarks, "subject")
    person_rows = _rows(
        person_form,
        _by_field(findings, f"people.{principal.pk}") if principal else {},
        remarks,
        f"people.{principal.pk}" if principal else "",
    )
    context = {
        "order": order,
        "subject": subject,
        "principal": principal,
        "editable": editable,
        "subject_rows": subject_rows,
        "person_rows": person_rows,
        "summary": _summary([subject_rows, person_rows]),
        "remarks": remarks,
        "warnings": [f for f in findings if not f.is_error and f.field.startswith(("subject", "people"))],
    }
    return render(request, "filings/wizard/subject.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_person(request, number, person_id):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    person = next((p for p in order.people.all() if p.pk == person_id), None)
    if person is None:
        from django.http import Http404

        raise Http404
    form = PersonForm(request.POST or None, instance=person, prefix="principal")
    if request.method == "POST" and form.is_valid():
        _handle_person_post(request, order, form, person, purpose_redirect=None)
        return _saved_redirect("filings:wizard_person", order, person.pk)
    findings = precheck.order_precheck(order) if _checked(request) else []
    rows = _rows(
        form, _by_field(findings, f"people.{person.pk}"), selectors.remarks_by_field(order), f"people.{person.pk}"
    )
    return render(
        request,
        "filings/wizard/person.html",
        {"order": order, "person": person, "rows": rows, "summary": _summary([rows])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def wizard_website(request, number, index):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    websites = list(order.websites.all())
    if index >= len(websites):
        from django.http import Http404

        raise Http404
    website = websites[index]
    people = list(order.people.all())
    form = WebsiteForm(request.POST or None, initial=WebsiteForm.initial_from(website))
    domain_form = DomainAddForm(request.POST or None)
    new_person_form = PersonForm(request.POST or None, prefix="new_principal")
    domain_error = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action.startswith("remove_domain:"):
            services.application_remove_domain(
                order_id=order.pk, actor=request.user, domain_id=int(action.split(":")[1])
            )
            return redirect("filings:wizard_website", number=order.number, index=index)
        if form.is_valid() and domain_form.is_valid() and new_person_form.is_valid():
            choice = request.POST.get("principal_choice", "")
            principal_id = None
            if choice == "new":
                if new_person_form.cleaned_data.get("name"):
                    principal_id = services.application_save_person(
                        order_id=order.pk, actor=request.user, data=new_person_form.person_data()
                    ).pk
            elif choice.isdigit():
                principal_id = int(choice)
            services.application_save_website(
                order_id=order.pk,
                actor=request.user,
                website_id=website.pk,
                data=form.website_data(),
                principal_id=principal_id,
            )
            typed = domain_form.cleaned_data.get("domain")
            if typed:
                try:
                    domain = normalise_domain(typed)
                    services.application_add_domain(
                        order_id=order.pk,
                        actor=request.user,
                        website_id=website.pk,
                        name=domain.name,
                        ascii_name=domain.ascii_name,
                    )
                except InvalidDomain as exc:
                    domain_error = exc.finding("domain").message
                except OrderError as exc:
                    domain_error = exc.message
            if domain_error is None:
                if action == "save_add":
                    added = services.application_add_website(order_id=order.pk, actor=request.user)
                    return redirect("filings:wizard_website", number=order.number, index=added.position)
                if action == "next":
                    return redirect("filings:wizard_materials", number=order.number)
                if principal_id and choice == "new":
                    return _saved_redirect("filings:wizard_person", order, principal_id)
                return _saved_redirect("filings:wizard_website", order, index)
            order = selectors.order_of(request.user, number)
            website = list(order.websites.all())[index]
    findings = precheck.order_precheck(order) if _checked(request) else []
    grouped = _by_field(findings, f"websites.{index}")
    remarks = selectors.remarks_by_field(order)
    rows = _rows(form, grouped, remarks, f"websites.{index}")
    domain_findings = [
        {
            "domain": domain,
            **_by_field(findings, f"websites.{index}.domains").get(str(position), {"errors": [], "warnings": []}),
        }
        for position, domain in enumerate(website.domains.all())
    ]
    context = {
        "order": order,
        "website": website,
        "index": index,
        "rows": [r for r in rows if not r["field"].name.startswith("pre_")],
        "pre_rows": form.pre_approval_rows(),
        "pre_findings": grouped.get("pre_approvals", {"errors": [], "warnings": []}),
        "domain_form": domain_form,
        "domain_error": domain_error or (grouped.get("domains", {}).get("errors") or [None])[0],
        "domain_findings": domain_findings,
        "people": people,
        "principal_errors": grouped.get("principal", {}).get("errors", []),
        "new_person_form": new_person_form,
        "summary": _summary([rows]),
        "website_count": len(websites),
    }
    return render(request, "filings/wizard/website.html", context)


@login_required
@require_POST
def wizard_website_add(request, number):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    try:
        added = services.application_add_website(order_id=order.pk, actor=request.user)
    except OrderError as exc:
        messages.error(request, exc.message)
        return redirect("filings:wizard", number=order.number)
    return redirect("filings:wizard_website", number=order.number, index=added.position)


@login_required
@require_POST
def wizard_website_remove(request, number, index):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    websites = list(order.websites.all())
    if index < len(websites):
        services.application_remove_website(order_id=order.pk, actor=request.user, website_id=websites[index].pk)
        messages.success(request, _("The website was removed from the order; its service number is free again."))
    return redirect("filings:wizard", number=order.number)


@login_required
def wizard_materials(request, number):
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    try:
        from ..requirements import required_materials
    except ImportError:
        required = []
    else:
        required = required_materials(order)
    materials = list(order.materials.all())
    slots = []
    for requirement in required:
        match = next(
            (
                m
                for m in materials
                if m.kind == requirement.kind
                and m.person_id == getattr(requirement, "person_id", None)
                and m.website_id == getattr(requirement, "website_id", None)
            ),
            None,
        )
        slots.append({"requirement": requirement, "material": match})
    return render(request, "filings/wizard/materials.html", {"order": order, "slots": slots})


@login_required
def wizard_check(request, number):
    """The pre-check: every remaining problem per field; 提交 stays disabled until none is left."""
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    findings = precheck.order_precheck(order)
    websites = list(order.websites.all())
    people = {p.pk: p for p in order_people(order, websites)} | {p.pk: p for p in order.people.all()}
    groups: dict[str, dict] = {}
    for finding in findings:
        place = place_of(order, finding.field, people=people, websites=websites)
        group = groups.setdefault(place.section, {"section": place.section, "errors": [], "warnings": []})
        item = {"label": place.label, "message": finding.message, "url": place.url, "code": finding.code}
        group["errors" if finding.is_error else "warnings"].append(item)
    error_count = sum(1 for f in findings if f.is_error)
    return render(
        request,
        "filings/wizard/check.html",
        {
            "order": order,
            "groups": list(groups.values()),
            "error_count": error_count,
            "warning_count": len(findings) - error_count,
            "websites": websites,
            "resubmission": order.status != OrderStatus.DRAFT,
            "can_resubmit_unchanged": order.status == OrderStatus.MIIT_RETURNED
            and (order.edited_at is None or order.edited_at < order.status_changed_at),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def wizard_submit(request, number):
    """确认提交 / 暂不提交 (seed chapter 2, step 8). GET shows the confirmation; POST submits."""
    order, leave = _editable_order(request, number)
    if leave:
        return leave
    if request.method == "POST":
        if request.POST.get("action") != "confirm":
            return redirect("filings:wizard_check", number=order.number)
        try:
            if order.status == OrderStatus.DRAFT:
                services.order_submit(order_id=order.pk, actor=request.user)
            elif request.POST.get("unchanged") == "1":
                services.order_resubmit_unchanged(order_id=order.pk, actor=request.user)
            else:
                services.order_resubmit(order_id=order.pk, actor=request.user)
        except OrderError as exc:
            messages.error(request, exc.message)
            return redirect("filings:wizard_check", number=order.number)
        messages.success(request, _("Submitted. We review your order within one working day."))
        return redirect("filings:order_detail", number=order.number)
    return render(
        request, "filings/wizard/confirm.html", {"order": order, "unchanged": request.GET.get("unchanged") == "1"}
    )


urlpatterns = [
    path("orders/<str:number>/apply/", wizard, name="wizard"),
    path("orders/<str:number>/apply/service-numbers/", wizard_service_numbers, name="wizard_service_numbers"),
    path("orders/<str:number>/apply/password/", wizard_password, name="wizard_password"),
    path("orders/<str:number>/apply/subject/", wizard_subject, name="wizard_subject"),
    path("orders/<str:number>/apply/people/<int:person_id>/", wizard_person, name="wizard_person"),
    path("orders/<str:number>/apply/websites/add/", wizard_website_add, name="wizard_website_add"),
    path("orders/<str:number>/apply/websites/<int:index>/", wizard_website, name="wizard_website"),
    path("orders/<str:number>/apply/websites/<int:index>/remove/", wizard_website_remove, name="wizard_website_remove"),
    path("orders/<str:number>/apply/materials/", wizard_materials, name="wizard_materials"),
    path("orders/<str:number>/apply/check/", wizard_check, name="wizard_check"),
    path("orders/<str:number>/apply/submit/", wizard_submit, name="wizard_submit"),
]
