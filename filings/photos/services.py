"""Every write of the photo step (docs/photos.md). The applicant's services lock the order, check that the actor is
its applicant and that it waits for photos (待拍照); those of principals without an account start from a signed
token instead and lock their link or app session. Photos go in through ``filings.materials.material_upload`` (its
format and size checks, re-encoding and private storage) on the applicant's behalf: a link or app session is the
applicant's delegation, and ``PhotoCheck.source`` records who actually sent the photo.
"""

import logging
import secrets
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core import clock, phone
from regions.constants import PhotoMethod
from regions.models import Region
from regions.selectors import is_final_choice, province_rule_for

from ..constants import MaterialKind, OrderStatus
from ..errors import NotPermitted
from ..materials import images, material_upload
from ..models import FieldRemark, FilingOrder, Material
from ..requirements import verification_photo_requirements
from . import tokens
from .checks import PhotoAssessment, PhotoRefused, assess, read_and_assess
from .constants import (
    APP_SESSION_VALID,
    BACKDROP_PRICE,
    PICTURE_CODE_VALID,
    PRINCIPAL_LINK_VALID,
    SHIPMENT_DURATIONS,
    SHIPMENT_STEPS,
    BackdropDeclaration,
    PhotoSource,
    ShipmentStatus,
)
from .models import Backdrop, PhotoCheck, PrincipalPhotoLink, ShanghaiAppSession

logger = logging.getLogger(__name__)

K = MaterialKind
PHOTO_REJECTION = "reject_photo_review"


@dataclass(frozen=True)
class PhotoUploaded:
    material: Material
    check: PhotoCheck

    @property
    def warning_messages(self) -> list[str]:
        return self.check.warning_messages


# --- common parts ----------------------------------------------------------------------------------------------


def photo_method_for(order: FilingOrder) -> str:
    """The province rule in force today decides; a province without a rule uses the backdrop."""
    rule = province_rule_for(order.province_id)
    return rule.photo_method if rule is not None else PhotoMethod.BACKDROP


def _not_waiting(order: FilingOrder) -> PhotoRefused:
    return PhotoRefused(
        "not_waiting_for_photos",
        _("This order is “%(status)s”: it does not wait for verification photos now.")
        % {"status": order.get_status_display()},
        409,
        None,
    )


def _locked_order(order_id: int, actor) -> FilingOrder:
    """The order, locked, when ``actor`` is its applicant and it waits for photos. Call inside a transaction."""
    order = FilingOrder.objects.select_for_update(of=("self",)).filter(pk=order_id).first()
    if order is None or actor is None or order.applicant_id != actor.pk:
        raise NotPermitted()
    if order.status != OrderStatus.PENDING_PHOTO:
        raise _not_waiting(order)
    return order


def _required_person_ids(order: FilingOrder) -> list[int]:
    return [requirement.person_id for requirement in verification_photo_requirements(order)]


def _check_person(order: FilingOrder, person_id) -> int:
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        person_id = None
    if person_id not in _required_person_ids(order):
        raise PhotoRefused(
            "person_not_required", _("This person does not need a verification photo on this order."), field="person"
        )
    return person_id


def _require_backdrop_method(order: FilingOrder) -> str:
    method = photo_method_for(order)
    if method == PhotoMethod.SHANGHAI_APP:
        raise PhotoRefused(
            "shanghai_app_only",
            _("In Shanghai the photo is taken in the Shanghai Communications Administration app: use the QR code."),
            409,
            None,
        )
    return method


def _require_app_method(order: FilingOrder) -> None:
    if photo_method_for(order) != PhotoMethod.SHANGHAI_APP:
        raise PhotoRefused(
            "not_shanghai", _("The administration's app is used in Shanghai only. Upload the photo instead."), 409, None
        )


def _store_photo(
    *, order: FilingOrder, person_id: int, data: bytes, name: str, assessment: PhotoAssessment, source: str, method: str
) -> PhotoUploaded:
    """The photo as the principal's verification photo (replacing an earlier one) with its check. Runs inside the
    caller's transaction, the order locked."""
    material = material_upload(
        order_id=order.pk,
        actor=order.applicant,
        kind=K.VERIFICATION_PHOTO,
        uploaded_file=ContentFile(data, name=name),
        person_id=person_id,
    )
    try:
        check = PhotoCheck.objects.create(
            material=material,
            source=source,
            method=method,
            width=assessment.width,
            height=assessment.height,
            red_share=assessment.red_share,
            blue_share=assessment.blue_share,
            warnings=list(assessment.warnings),
            created_at=clock.now(),
        )
    except BaseException:
        _delete_files([material.file.name, material.thumbnail.name])
        raise
    return PhotoUploaded(material, check)


def _delete_files(names) -> None:
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("could not delete stored photo file %s", name)


# --- the backdrop ----------------------------------------------------------------------------------------------


def _mainland_region(region) -> Region:
    if isinstance(region, str):
        region = Region.objects.filter(pk=region).first()
    if (
        region is None
        or not region.is_active
        or not Region.objects.filter(pk=region.province_code, is_mainland=True).exists()
        or not is_final_choice(region)
    ):
        raise PhotoRefused(
            "mailing_region",
            _("Choose the province, city and district of a mailing address in mainland China."),
            field="province",
        )
    return region


def backdrop_purchase(*, order_id: int, actor, recipient: str, mobile: str, region, street: str) -> Backdrop:
    """第1步、请您提供收费幕布邮寄地址 and 第2步、购买拍照专用幕布: a simulated purchase, shipped to a mainland address.

    One purchase per order. The parcel then moves on the portal's clock (``backdrops_advance``)."""
    recipient, street = (recipient or "").strip(), (street or "").strip()
    if not recipient:
        raise PhotoRefused("recipient_required", _("Enter the recipient's name."), field="recipient")
    if not street:
        raise PhotoRefused("street_required", _("Enter the street address, building and room."), field="street")
    try:
        mobile = phone.normalise_mobile(mobile or "")
    except ValueError:
        raise PhotoRefused(
            "mobile_invalid", _("Enter a mainland China mobile number, like 13800138000."), field="mobile"
        ) from None
    region = _mainland_region(region)
    with transaction.atomic():
        order = _locked_order(order_id, actor)
        _require_backdrop_method(order)
        now = clock.now()
        backdrop, _created = Backdrop.objects.get_or_create(order=order, defaults={"created_at": now})
        if backdrop.purchased:
            raise PhotoRefused("already_purchased", _("A backdrop has already been bought for this order."), 409, None)
        backdrop.status = ShipmentStatus.PURCHASED
        backdrop.recipient, backdrop.mobile, backdrop.region, backdrop.street = recipient, mobile, region, street
        backdrop.price = BACKDROP_PRICE
        backdrop.tracking_number = "SF" + "".join(secrets.choice("0123456789") for _ in range(12))
        backdrop.purchased_at = now
        backdrop.next_step_due_at = now + SHIPMENT_DURATIONS[ShipmentStatus.PURCHASED]
        backdrop.save()
    return backdrop


def backdrop_declare(*, order_id: int, actor, declared: str = BackdropDeclaration.OWN) -> Backdrop:
    """我已有幕布 (or, where the province allows it, the provider's app): the upload opens at once."""
    declared = BackdropDeclaration(declared)
    with transaction.atomic():
        order = _locked_order(order_id, actor)
        method = _require_backdrop_method(order)
        if declared == BackdropDeclaration.PROVIDER_APP and method != PhotoMethod.BACKDROP_OR_PROVIDER_APP:
            raise PhotoRefused("provider_app_not_here", _("The provider's app is not offered in this province."), 409)
        now = clock.now()
        backdrop, _created = Backdrop.objects.get_or_create(order=order, defaults={"created_at": now})
        if not backdrop.declared:
            backdrop.declared, backdrop.declared_at = declared, now
            backdrop.save(update_fields=["declared", "declared_at"])
    return backdrop


def backdrops_advance(*, now=None) -> dict[str, int]:
    """The beat sweep: every parcel whose next step is due takes it. Set-based: per step, one read of the due ids
    (rows being changed right now are skipped, ``skip_locked``) and one ``UPDATE``. A step's time is the moment it
    was due, so a clock moved on by days catches up in one run, and a run with nothing due changes nothing."""
    from .. import notify

    now = now or clock.now()
    moved: dict[str, int] = {}
    with transaction.atomic():
        for source, target, stamp in SHIPMENT_STEPS:
            ids = list(
                Backdrop.objects.select_for_update(skip_locked=True)
                .filter(status=source, next_step_due_at__lte=now)
                .values_list("pk", flat=True)
            )
            if not ids:
                continue
            following = SHIPMENT_DURATIONS.get(target)
            moved[target] = Backdrop.objects.filter(pk__in=ids, status=source).update(
                status=target,
                **{stamp: F("next_step_due_at")},
                next_step_due_at=F("next_step_due_at") + following if following else None,
            )
            if target in (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED):
                notify.backdrops_moved_notify(ids, status=target)
    return moved


# --- the applicant's upload --------------------------------------------------------------------------------------


def photo_upload(*, order_id: int, actor, person_id: int, uploaded_file) -> PhotoUploaded:
    """第4步、将拍好的幕布背景照片上传至系统: one principal's photo, checked, replacing an earlier one.

    The image is judged before any lock is taken; the backdrop must be ready (delivered, or declared)."""
    data, assessment = read_and_assess(uploaded_file)
    with transaction.atomic():
        order = _locked_order(order_id, actor)
        method = _require_backdrop_method(order)
        person_id = _check_person(order, person_id)
        backdrop = Backdrop.objects.filter(order=order).first()
        if backdrop is None or not backdrop.ready:
            raise PhotoRefused(
                "backdrop_not_ready",
                _("Upload once the backdrop has arrived, or choose “I already have a backdrop”."),
                409,
                None,
            )
        return _store_photo(
            order=order,
            person_id=person_id,
            data=data,
            name=getattr(uploaded_file, "name", "") or "photo.jpg",
            assessment=assessment,
            source=PhotoSource.APPLICANT,
            method=method,
        )


# --- principals' links ---------------------------------------------------------------------------------------------


def principal_link_create(*, order_id: int, actor, person_id: int) -> tuple[PrincipalPhotoLink, str]:
    """A new link for one principal (earlier open links of that principal stop working); returns it and its token."""
    with transaction.atomic():
        order = _locked_order(order_id, actor)
        _require_backdrop_method(order)
        person_id = _check_person(order, person_id)
        now = clock.now()
        PrincipalPhotoLink.objects.filter(
            order=order, person_id=person_id, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        link = PrincipalPhotoLink.objects.create(
            order=order, person_id=person_id, created_by=actor, created_at=now, expires_at=now + PRINCIPAL_LINK_VALID
        )
    return link, tokens.make_token(link, salt=tokens.LINK_SALT)


class LinkUnavailable(PhotoRefused):
    """The token is no link of ours (404), or the link no longer works (410): ``code`` says which."""


def _unavailable(code: str) -> LinkUnavailable:
    messages = {
        "unknown": _(
            "This link is not valid. Check that it was copied completely, or ask the applicant for a new one."
        ),
        "expired": _("This link has expired. Ask the applicant to send you a new one."),
        "used": _(
            "A photo has already been uploaded with this link. It works only once: ask the applicant for a new "
            "link if the photo must be taken again."
        ),
        "revoked": _("This link was replaced by a newer one. Use the latest link the applicant sent you."),
        "closed": _("This order does not wait for verification photos any more. Nothing needs to be done."),
        "locked": _("Too many wrong entries. Ask the applicant for a new QR code."),
    }
    return LinkUnavailable(code, messages[code], 404 if code == "unknown" else 410, None)


def principal_link_get(token: str, *, for_update: bool = False) -> PrincipalPhotoLink:
    """The link behind ``token`` if it still works; raises ``LinkUnavailable`` saying why not."""
    found = tokens.read_token(token, salt=tokens.LINK_SALT)
    if found is None:
        raise _unavailable("unknown")
    queryset = PrincipalPhotoLink.objects.select_related("order", "person", "order__subject_application")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    link = queryset.filter(pk=found[0]).first()
    if link is None or not tokens.nonce_matches(link, found[1]):
        raise _unavailable("unknown")
    if link.used_at is not None:
        raise _unavailable("used")
    if link.revoked_at is not None:
        raise _unavailable("revoked")
    if link.expires_at <= clock.now():
        raise _unavailable("expired")
    if link.order.status != OrderStatus.PENDING_PHOTO:
        raise _unavailable("closed")
    return link


def principal_link_upload(*, token: str, uploaded_file, backdrop_confirmed: bool) -> PhotoUploaded:
    """The principal's own photo through their link, without an account; the link is used up by it."""
    principal_link_get(token)  # say early, before reading the image, when the link no longer works
    if not backdrop_confirmed:
        raise PhotoRefused(
            "backdrop_not_confirmed",
            _("Confirm that the photo was taken in front of the official backdrop."),
            field="backdrop_confirmed",
        )
    data, assessment = read_and_assess(uploaded_file)
    with transaction.atomic():
        link = principal_link_get(token, for_update=True)
        order = FilingOrder.objects.select_for_update(of=("self",)).get(pk=link.order_id)
        if order.status != OrderStatus.PENDING_PHOTO:
            raise _unavailable("closed")
        method = _require_backdrop_method(order)
        _check_person(order, link.person_id)
        uploaded = _store_photo(
            order=order,
            person_id=link.person_id,
            data=data,
            name=getattr(uploaded_file, "name", "") or "photo.jpg",
            assessment=assessment,
            source=PhotoSource.PRINCIPAL_LINK,
            method=method,
        )
        link.used_at, link.material = clock.now(), uploaded.material
        link.save(update_fields=["used_at", "material"])
    return uploaded


# --- the Shanghai administration's app (simulated) ----------------------------------------------------------------


def app_session_start(*, order_id: int, actor, person_id: int) -> tuple[ShanghaiAppSession, str]:
    """A new QR code for one principal (an earlier one of that principal stops working); returns it and its token."""
    with transaction.atomic():
        order = _locked_order(order_id, actor)
        _require_app_method(order)
        person_id = _check_person(order, person_id)
        now = clock.now()
        _discard_app_sessions(
            ShanghaiAppSession.objects.filter(order=order, person_id=person_id, pulled_at__isnull=True), now=now
        )
        session = ShanghaiAppSession.objects.create(
            order=order, person_id=person_id, created_at=now, expires_at=now + APP_SESSION_VALID
        )
    return session, tokens.make_token(session, salt=tokens.APP_SALT)


def _discard_app_sessions(sessions, *, now) -> None:
    """End these app sessions and delete the photos they hold (after commit): nobody will pull them any more."""
    names = list(sessions.exclude(photo_name="").values_list("photo_name", flat=True))
    sessions.filter(revoked_at__isnull=True).update(revoked_at=now)
    sessions.exclude(photo_name="").update(photo_name="", code_hash="")
    if names:
        transaction.on_commit(partial(_delete_files, names), robust=True)


def app_session_get(token: str, *, for_update: bool = False) -> ShanghaiAppSession:
    """The app session behind ``token`` while it works; raises ``LinkUnavailable``."""
    found = tokens.read_token(token, salt=tokens.APP_SALT)
    if found is None:
        raise _unavailable("unknown")
    queryset = ShanghaiAppSession.objects.select_related("order", "person")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    session = queryset.filter(pk=found[0]).first()
    if session is None or not tokens.nonce_matches(session, found[1]):
        raise _unavailable("unknown")
    if session.pulled_at is not None:
        raise _unavailable("used")
    if session.revoked_at is not None:
        raise _unavailable("revoked")
    if session.expires_at <= clock.now():
        raise _unavailable("expired")
    if session.order.status != OrderStatus.PENDING_PHOTO:
        raise _unavailable("closed")
    if session.locked:
        raise _unavailable("locked")
    return session


def _id_tail(number: str) -> str:
    return (number or "").strip().upper()[-6:]


def app_session_verify(*, token: str, mobile: str, id_last6: str) -> ShanghaiAppSession:
    """手机核验 and 证件核验: the website principal's mobile and the last six characters of their ID number. A wrong
    entry counts; after ``APP_MAX_VERIFY_FAILURES`` the QR code stops working (the count survives the refusal)."""
    refusal = None
    with transaction.atomic():
        session = app_session_get(token, for_update=True)
        person = session.person
        try:
            mobile_ok = phone.normalise_mobile(mobile or "") == phone.normalise_mobile(person.mobile)
        except ValueError:
            mobile_ok = False
        id_ok = len(_id_tail(id_last6)) == 6 and _id_tail(id_last6) == _id_tail(person.certificate_number)
        if mobile_ok and id_ok:
            session.verified_at = clock.now()
            session.save(update_fields=["verified_at"])
        else:
            session.verify_failures += 1
            session.save(update_fields=["verify_failures"])
            if not mobile_ok:
                refusal = PhotoRefused(
                    "mobile_mismatch",
                    _("This is not the mobile number of the website principal in the filing. Use that number."),
                    field="mobile",
                )
            else:
                refusal = PhotoRefused(
                    "id_mismatch", _("The last six characters of the ID number do not match."), field="id_last6"
                )
    if refusal is not None:
        raise refusal
    return session


def app_session_photo(*, token: str, uploaded_file, location: str) -> tuple[ShanghaiAppSession, str]:
    """拍照: the photo, taken in Shanghai (the simulated location), held privately until the applicant pulls it.
    Returns the session and a new picture code (图片验证码), shown once; only its keyed hash is kept."""
    session = app_session_get(token)
    if session.verified_at is None:
        raise PhotoRefused("not_verified", _("Verify the mobile number and ID first."), 409, None)
    if location != "shanghai":
        raise PhotoRefused(
            "not_in_shanghai", _("The app takes verification photos in Shanghai only."), field="location"
        )
    data, assessment = read_and_assess(uploaded_file)
    try:
        processed = images.process(data, photo=True)
    except images.ImageRefused as refused:
        raise PhotoRefused(refused.code, refused.message, field="file") from None
    code = tokens.new_picture_code()
    name = default_storage.save(f"photo-app/{secrets.token_hex(16)}.jpg", ContentFile(processed.data))
    try:
        with transaction.atomic():
            session = app_session_get(token, for_update=True)
            if session.verified_at is None:
                raise PhotoRefused("not_verified", _("Verify the mobile number and ID first."), 409, None)
            old_name = session.photo_name
            now = clock.now()
            session.photo_name = name
            session.photo_taken_at = now
            session.photo_width, session.photo_height = assessment.width, assessment.height
            session.photo_warnings = list(assessment.warnings)
            session.red_share, session.blue_share = assessment.red_share, assessment.blue_share
            session.code_hash = tokens.picture_code_hash(code)
            session.code_expires_at = now + PICTURE_CODE_VALID
            session.save()
            if old_name:
                transaction.on_commit(partial(_delete_files, [old_name]), robust=True)
    except BaseException:
        _delete_files([name])
        raise
    return session, code


def app_session_new_code(*, token: str) -> str:
    """A lost or expired picture code: a new one for the photo already taken (the old one stops working)."""
    code = tokens.new_picture_code()
    with transaction.atomic():
        session = app_session_get(token, for_update=True)
        if not session.photo_name:
            raise PhotoRefused("no_photo_yet", _("Take the photo first."), 409, None)
        session.code_hash = tokens.picture_code_hash(code)
        session.code_expires_at = clock.now() + PICTURE_CODE_VALID
        session.save(update_fields=["code_hash", "code_expires_at"])
    return code


def app_photos_pull(*, order_id: int, actor, code: str) -> PhotoUploaded:
    """The applicant enters the picture code: the photo it stands for becomes the principal's verification photo.
    A wrong, expired or used code, or one of another order, finds nothing (and says no more than that)."""
    normalised = tokens.normalise_picture_code(code)
    if not normalised:
        raise PhotoRefused("code_required", _("Enter the picture code shown in the app."), field="code")
    with transaction.atomic():
        order = _locked_order(order_id, actor)
        _require_app_method(order)
        now = clock.now()
        session = (
            ShanghaiAppSession.objects.select_for_update(of=("self",))
            .filter(
                order=order,
                code_hash=tokens.picture_code_hash(normalised),
                code_expires_at__gt=now,
                pulled_at__isnull=True,
                revoked_at__isnull=True,
            )
            .exclude(photo_name="")
            .first()
        )
        if session is None:
            raise PhotoRefused(
                "code_not_found",
                _(
                    "No photos were found for this picture code. Check the code in the app; a code works for 30 "
                    "minutes, once."
                ),
                field="code",
            )
        _check_person(order, session.person_id)
        with default_storage.open(session.photo_name, "rb") as stored:
            data = stored.read()
        assessment = PhotoAssessment(
            width=session.photo_width or 0,
            height=session.photo_height or 0,
            red_share=session.red_share or 0.0,
            blue_share=session.blue_share or 0.0,
            warnings=tuple(session.photo_warnings or ()),
        )
        uploaded = _store_photo(
            order=order,
            person_id=session.person_id,
            data=data,
            name="shanghai-app.jpg",
            assessment=assessment,
            source=PhotoSource.SHANGHAI_APP,
            method=PhotoMethod.SHANGHAI_APP,
        )
        old_name = session.photo_name
        session.pulled_at, session.material, session.photo_name, session.code_hash = now, uploaded.material, "", ""
        session.save(update_fields=["pulled_at", "material", "photo_name", "code_hash"])
        transaction.on_commit(partial(_delete_files, [old_name]), robust=True)
    return uploaded


# --- confirming --------------------------------------------------------------------------------------------------


def _photo_remarks(order: FilingOrder):
    return FieldRemark.objects.filter(order=order, resolved_at__isnull=True, event__action=PHOTO_REJECTION)


def remark_person_id(field: str) -> int | None:
    """The principal a photo remark is about: ``materials.verification_photo.person.<id>`` or ``people.<id>.photo``;
    None for the whole order."""
    parts = (field or "").split(".")
    if len(parts) == 4 and parts[:3] == ["materials", K.VERIFICATION_PHOTO, "person"] and parts[3].isdigit():
        return int(parts[3])
    if len(parts) == 3 and parts[0] == "people" and parts[1].isdigit() and parts[2] == "photo":
        return int(parts[1])
    return None


def _check_unchecked(material: Material, method: str) -> PhotoCheck:
    """A photo that came another way (the materials page) is checked now, from the stored file."""
    with material.file.open("rb") as stored:
        assessment = assess(stored.read())
    return PhotoCheck.objects.create(
        material=material,
        source=PhotoSource.MATERIALS_PAGE,
        method=method,
        width=assessment.width,
        height=assessment.height,
        red_share=assessment.red_share,
        blue_share=assessment.blue_share,
        warnings=list(assessment.warnings),
        created_at=clock.now(),
    )


def photos_confirm(*, order_id: int, actor) -> FilingOrder:
    """确认提交: every principal who needs a photo has one (in Shanghai, from the app; after a photo rejection, taken
    again), then the order goes to photo review (``order_photos_submit``) and the rejection's remarks are resolved."""
    from ..services import order_photos_submit

    with transaction.atomic():
        order = _locked_order(order_id, actor)
        method = photo_method_for(order)
        requirements = verification_photo_requirements(order)
        photos = {
            material.person_id: material
            for material in Material.objects.filter(order=order, kind=K.VERIFICATION_PHOTO, person__isnull=False)
            .select_related("photo_check")
            .order_by("uploaded_at", "id")
        }
        if not requirements:
            raise PhotoRefused("no_principal", _("The order has no website principal to take a photo of."), 409, None)
        remarks = list(_photo_remarks(order))
        whole_order_since = max((r.created_at for r in remarks if remark_person_id(r.field) is None), default=None)
        missing, retake, not_from_app = [], [], []
        for requirement in requirements:
            material = photos.get(requirement.person_id)
            if material is None:
                missing.append(requirement.subject)
                continue
            check = getattr(material, "photo_check", None)
            if check is None:
                check = _check_unchecked(material, method)
            if method == PhotoMethod.SHANGHAI_APP and check.source != PhotoSource.SHANGHAI_APP:
                not_from_app.append(requirement.subject)
            since = [r.created_at for r in remarks if remark_person_id(r.field) == requirement.person_id]
            if whole_order_since is not None:
                since.append(whole_order_since)
            if since and material.uploaded_at <= max(since):
                retake.append(requirement.subject)
        if missing:
            raise PhotoRefused(
                "photos_missing",
                _("A verification photo is still missing for: %(names)s.") % {"names": "、".join(missing)},
                409,
                None,
            )
        if not_from_app:
            raise PhotoRefused(
                "photos_not_from_app",
                _(
                    "In Shanghai the photos must come from the administration's app. Pull them in with the picture "
                    "code for: %(names)s."
                )
                % {"names": "、".join(not_from_app)},
                409,
                None,
            )
        if retake:
            raise PhotoRefused(
                "photos_not_retaken",
                _("The reviewer asked for a new photo of: %(names)s. Upload a new one first.")
                % {"names": "、".join(retake)},
                409,
                None,
            )
        order = order_photos_submit(order_id=order.pk, actor=actor)
        now = clock.now()
        _photo_remarks(order).update(resolved_at=now)
        # Photos still held by the app for this order will not be pulled now; a retry starts a new session.
        _discard_app_sessions(ShanghaiAppSession.objects.filter(order=order, pulled_at__isnull=True), now=now)
    return order
