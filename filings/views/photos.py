"""办理拍照: the photo step's pages (docs/photos.md).

The applicant's pages (``/filing/orders/<number>/photos/…``) start from the signed-in user, so another account's
order answers 404. Two pages need no account and start from a signed token instead: a principal's link
(``/filing/photo-link/<token>/``) and the simulated Shanghai app (``/filing/photo-app/<token>/``), which the QR code
on the applicant's page points at. Every form works without JavaScript: a POST either redirects back to the page
with a message, or shows the page again with the refusal beside its field.
"""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import clock

from .. import selectors as order_selectors
from ..errors import OrderError
from ..materials import order_of_applicant
from ..photos import services
from ..photos.checks import PhotoRefused
from ..photos.constants import (
    APP_MAX_VERIFY_FAILURES,
    BACKDROP_PRICE,
    MIN_PHOTO_HEIGHT,
    MIN_PHOTO_WIDTH,
    BackdropDeclaration,
)
from ..photos.forms import (
    AppPhotoForm,
    AppVerifyForm,
    BackdropAddressForm,
    PersonForm,
    PhotoUploadForm,
    PictureCodeForm,
    PrincipalPhotoForm,
)
from ..photos.selectors import app_session_by_token, photo_step

# The token pages send no Referer to other sites (the token is in the path); same-origin, because with no-referrer
# browsers post "Origin: null" and CSRF refuses the form.
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "Referrer-Policy": "same-origin"}


def _order(request, number):
    order = order_of_applicant(request.user, number)
    if order is None:
        raise Http404
    return order


def _page_url(order) -> str:
    return reverse("filings:photos", args=[order.number])


def _render_page(request, order, *, status=200, upload_forms=None, code_form=None, confirm_error=None):
    step = photo_step(order)
    upload_forms = upload_forms or {}
    for principal in step.principals:
        principal.form = upload_forms.get(principal.person_id) or PhotoUploadForm(
            initial={"person": principal.person_id}, auto_id=f"id_{principal.dom_id}_%s"
        )
    context = {
        "order": order,
        "step": step,
        "steps": order_selectors.order_steps(order),
        "code_form": code_form or PictureCodeForm(),
        "confirm_error": confirm_error,
        "price": BACKDROP_PRICE,
        "min_width": MIN_PHOTO_WIDTH,
        "min_height": MIN_PHOTO_HEIGHT,
    }
    response = render(request, "filings/photos/page.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(request, exc: OrderError) -> None:
    messages.error(request, exc.message)


# --- the applicant's pages -------------------------------------------------------------------------------------


@login_required
@require_GET
def photo_page(request, number):
    return _render_page(request, _order(request, number))


@login_required
@require_GET
def photo_instructions(request, number):
    order = _order(request, number)
    context = {"order": order, "min_width": MIN_PHOTO_WIDTH, "min_height": MIN_PHOTO_HEIGHT}
    return render(request, "filings/photos/instructions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def backdrop_address(request, number):
    """第1步、请您提供收费幕布邮寄地址 and 第2步、购买拍照专用幕布 on one form."""
    order = _order(request, number)
    if request.method == "POST":
        form = BackdropAddressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.backdrop_purchase(
                    order_id=order.pk,
                    actor=request.user,
                    recipient=data["recipient"],
                    mobile=data["mobile"],
                    region=data["region"],
                    street=data["street"],
                )
            except PhotoRefused as refusal:
                form.add_refusal(refusal)
            except OrderError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The backdrop is bought and will be shipped to the address you gave."))
                return redirect(_page_url(order))
    else:
        form = BackdropAddressForm()
    step = photo_step(order)
    context = {"order": order, "form": form, "step": step, "price": BACKDROP_PRICE}
    return render(request, "filings/photos/backdrop.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def backdrop_declare_view(request, number):
    order = _order(request, number)
    declared = request.POST.get("declared") or BackdropDeclaration.OWN
    if declared not in BackdropDeclaration.values:
        declared = BackdropDeclaration.OWN
    try:
        services.backdrop_declare(order_id=order.pk, actor=request.user, declared=declared)
    except OrderError as exc:
        _refused(request, exc)
    return redirect(_page_url(order) + "#photos")


@login_required
@require_POST
def photo_upload_view(request, number):
    order = _order(request, number)
    person_id = request.POST.get("person")
    form = PhotoUploadForm(request.POST, request.FILES, auto_id=f"id_principal-{person_id}_%s")
    if form.is_valid():
        try:
            uploaded = services.photo_upload(
                order_id=order.pk,
                actor=request.user,
                person_id=form.cleaned_data["person"],
                uploaded_file=form.cleaned_data["file"],
            )
        except PhotoRefused as refusal:
            form.add_refusal(refusal)
        except OrderError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The photo of %(name)s is uploaded.") % {"name": uploaded.material.person.name})
            for warning in uploaded.warning_messages:
                messages.warning(request, warning)
            return redirect(f"{_page_url(order)}#principal-{uploaded.material.person_id}")
    forms_by_person = {}
    if form.data.get("person", "").isdigit():
        forms_by_person[int(form.data["person"])] = form
    else:
        messages.error(request, _("Choose whose photo this is."))
    return _render_page(request, order, status=400, upload_forms=forms_by_person)


@login_required
@require_POST
def principal_link_create_view(request, number):
    order = _order(request, number)
    form = PersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whose link to create."))
        return redirect(_page_url(order))
    try:
        link, _token = services.principal_link_create(
            order_id=order.pk, actor=request.user, person_id=form.cleaned_data["person"]
        )
    except OrderError as exc:
        _refused(request, exc)
        return redirect(_page_url(order))
    messages.success(
        request,
        _("A new link for %(name)s is ready below. Copy it and send it to them; it works once, until %(until)s.")
        % {"name": link.person.name, "until": _local(link.expires_at)},
    )
    return redirect(f"{_page_url(order)}#principal-{link.person_id}")


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@login_required
@require_POST
def app_session_start_view(request, number):
    order = _order(request, number)
    form = PersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whose QR code to show."))
        return redirect(_page_url(order))
    try:
        session, _token = services.app_session_start(
            order_id=order.pk, actor=request.user, person_id=form.cleaned_data["person"]
        )
    except OrderError as exc:
        _refused(request, exc)
        return redirect(_page_url(order))
    return redirect(f"{_page_url(order)}#principal-{session.person_id}")


@login_required
@require_GET
def app_qr(request, number, person_id):
    """The QR code of a principal's open app session, as SVG made here (no external service)."""
    order = _order(request, number)
    state = next((p for p in photo_step(order).principals if p.person_id == person_id), None)
    if state is None or state.session is None:
        raise Http404
    url = request.build_absolute_uri(reverse("filings:photo_app", args=[state.session_token]))
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def picture_code_view(request, number):
    order = _order(request, number)
    form = PictureCodeForm(request.POST)
    if form.is_valid():
        try:
            uploaded = services.app_photos_pull(order_id=order.pk, actor=request.user, code=form.cleaned_data["code"])
        except PhotoRefused as refusal:
            form.add_refusal(refusal)
        except OrderError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The app's photo of %(name)s is in the order. Check it below, then confirm.")
                % {"name": uploaded.material.person.name},
            )
            for warning in uploaded.warning_messages:
                messages.warning(request, warning)
            return redirect(_page_url(order) + "#confirm")
    return _render_page(request, order, status=400, code_form=form)


@login_required
@require_POST
def photos_confirm_view(request, number):
    order = _order(request, number)
    try:
        services.photos_confirm(order_id=order.pk, actor=request.user)
    except OrderError as exc:
        return _render_page(request, order, status=409, confirm_error=exc.message)
    messages.success(request, _("The photos are submitted. We check them within one working day."))
    return redirect("filings:order_detail", number=order.number)


# --- a principal's link (no account) ----------------------------------------------------------------------------------


def _unavailable_page(request, refusal: PhotoRefused):
    response = render(request, "filings/photos/unavailable.html", {"refusal": refusal}, status=refusal.status)
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def principal_link_page(request, token):
    try:
        link = services.principal_link_get(token)
    except services.LinkUnavailable as refusal:
        return _unavailable_page(request, refusal)
    if request.method == "POST":
        form = PrincipalPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                uploaded = services.principal_link_upload(
                    token=token,
                    uploaded_file=form.cleaned_data["file"],
                    backdrop_confirmed=form.cleaned_data["backdrop_confirmed"],
                )
            except services.LinkUnavailable as refusal:
                return _unavailable_page(request, refusal)
            except PhotoRefused as refusal:
                form.add_refusal(refusal)
            except OrderError as exc:
                form.add_error(None, exc.message)
            else:
                context = {"link": link, "warnings": uploaded.warning_messages}
                response = render(request, "filings/photos/link_done.html", context)
                for header, value in PRIVATE_HEADERS.items():
                    response[header] = value
                return response
    else:
        form = PrincipalPhotoForm()
    context = {
        "link": link,
        "form": form,
        "subject_name": getattr(getattr(link.order, "subject_application", None), "name", ""),
        "min_width": MIN_PHOTO_WIDTH,
        "min_height": MIN_PHOTO_HEIGHT,
    }
    response = render(request, "filings/photos/link.html", context, status=400 if form.errors else 200)
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


# --- the Shanghai administration's app, simulated (no account) ----------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def app_page(request, token):
    """The app's screens: 手机核验 and 证件核验, then 拍照, then the picture code (图片验证码)."""
    try:
        session = services.app_session_get(token)
    except services.LinkUnavailable as refusal:
        if refusal.code == "used":
            return _app_render(request, "filings/photos/app_done.html", {"session": app_session_by_token(token)})
        return _unavailable_page(request, refusal)
    verify_form, photo_form, code = AppVerifyForm(), AppPhotoForm(), None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                verify_form = AppVerifyForm(request.POST)
                if verify_form.is_valid():
                    session = services.app_session_verify(
                        token=token,
                        mobile=verify_form.cleaned_data["mobile"],
                        id_last6=verify_form.cleaned_data["id_last6"],
                    )
                    return redirect("filings:photo_app", token=token)
            elif action == "photo":
                photo_form = AppPhotoForm(request.POST, request.FILES)
                if photo_form.is_valid():
                    session, code = services.app_session_photo(
                        token=token,
                        uploaded_file=photo_form.cleaned_data["file"],
                        location=photo_form.cleaned_data["location"],
                    )
                    photo_form = AppPhotoForm()
            elif action == "new_code":
                code = services.app_session_new_code(token=token)
                session = services.app_session_get(token)
        except services.LinkUnavailable as refusal:
            return _unavailable_page(request, refusal)
        except PhotoRefused as refusal:
            form = verify_form if action == "verify" else photo_form
            form.add_refusal(refusal)
            status = 400
        except OrderError as exc:
            messages.error(request, exc.message)
            status = 409
        if action == "verify" and verify_form.errors:
            status = 400
        if action == "photo" and photo_form.errors:
            status = 400
        try:
            session = services.app_session_get(token)
        except services.LinkUnavailable as refusal:
            return _unavailable_page(request, refusal)
    context = {
        "session": session,
        "person": session.person,
        "verify_form": verify_form,
        "photo_form": photo_form,
        "code": code,
        "code_valid_until": _local(session.code_expires_at) if session.code_expires_at else "",
        "code_expired": bool(session.code_expires_at and session.code_expires_at <= clock.now()),
        "mobile_hint": _masked_mobile(session.person.mobile),
        "attempts_left": max(APP_MAX_VERIFY_FAILURES - session.verify_failures, 0),
    }
    return _app_render(request, "filings/photos/app.html", context, status=status)


def _masked_mobile(mobile: str) -> str:
    mobile = mobile or ""
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) >= 7 else "****"


def _app_render(request, template, context, status=200):
    response = render(request, template, context, status=status)
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


urlpatterns = [
    path("orders/<str:number>/photos/", photo_page, name="photos"),
    path("orders/<str:number>/photos/instructions/", photo_instructions, name="photo_instructions"),
    path("orders/<str:number>/photos/backdrop/", backdrop_address, name="photo_backdrop"),
    path("orders/<str:number>/photos/own-backdrop/", backdrop_declare_view, name="photo_own_backdrop"),
    path("orders/<str:number>/photos/upload/", photo_upload_view, name="photo_upload"),
    path("orders/<str:number>/photos/links/", principal_link_create_view, name="photo_link_create"),
    path("orders/<str:number>/photos/app/", app_session_start_view, name="photo_app_start"),
    path("orders/<str:number>/photos/app/<int:person_id>/qr.svg", app_qr, name="photo_app_qr"),
    path("orders/<str:number>/photos/code/", picture_code_view, name="photo_code"),
    path("orders/<str:number>/photos/confirm/", photos_confirm_view, name="photo_confirm"),
    path("photo-link/<str:token>/", principal_link_page, name="photo_link"),
    path("photo-app/<str:token>/", app_page, name="photo_app"),
]
