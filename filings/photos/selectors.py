"""Reads behind the photo pages: the step's state for one order, per principal, in a fixed number of queries."""

from dataclasses import dataclass, field

from core import clock
from regions.constants import PhotoMethod
from regions.selectors import region_full_name

from ..constants import MaterialKind, OrderStatus
from ..models import FieldRemark, FilingOrder, Material, PersonApplication
from ..requirements import Requirement, verification_photo_requirements
from . import tokens
from .models import Backdrop, PhotoCheck, PrincipalPhotoLink, ShanghaiAppSession
from .services import PHOTO_REJECTION, photo_method_for, remark_person_id


@dataclass
class PrincipalState:
    """One principal who needs a photo: the photo they have (with its check), the reviewer's remarks about it, and
    the open link or app session with its token."""

    requirement: Requirement
    person: PersonApplication
    material: Material | None = None
    check: PhotoCheck | None = None
    remarks: list[str] = field(default_factory=list)
    link: PrincipalPhotoLink | None = None
    link_token: str = ""
    used_link: PrincipalPhotoLink | None = None
    session: ShanghaiAppSession | None = None
    session_token: str = ""

    @property
    def person_id(self) -> int:
        return self.person.pk

    @property
    def dom_id(self) -> str:
        return f"principal-{self.person.pk}"

    @property
    def done(self) -> bool:
        return self.material is not None

    @property
    def warnings(self) -> list[str]:
        return self.check.warning_messages if self.check else []


@dataclass
class PhotoStep:
    order: FilingOrder
    method: str
    backdrop: Backdrop | None
    principals: list[PrincipalState]
    order_remarks: list[str]
    backdrop_elsewhere: bool

    @property
    def waiting(self) -> bool:
        return self.order.status == OrderStatus.PENDING_PHOTO

    @property
    def shanghai(self) -> bool:
        return self.method == PhotoMethod.SHANGHAI_APP

    @property
    def provider_app(self) -> bool:
        return self.method == PhotoMethod.BACKDROP_OR_PROVIDER_APP

    @property
    def ready(self) -> bool:
        return self.backdrop is not None and self.backdrop.ready

    @property
    def backdrop_region_name(self) -> str:
        """The mailing address's region as written in an address (北京市海淀区)."""
        if self.backdrop is None or self.backdrop.region is None:
            return ""
        return region_full_name(self.backdrop.region)

    @property
    def complete(self) -> bool:
        return bool(self.principals) and all(p.done for p in self.principals)

    @property
    def missing(self) -> list[PrincipalState]:
        return [p for p in self.principals if not p.done]


def photo_step(order: FilingOrder) -> PhotoStep:
    now = clock.now()
    method = photo_method_for(order)
    backdrop = Backdrop.objects.filter(order=order).select_related("region").first()
    requirements = verification_photo_requirements(order)
    person_ids = [r.person_id for r in requirements]
    people = PersonApplication.objects.in_bulk(person_ids)
    photos = {
        m.person_id: m
        for m in Material.objects.filter(order=order, kind=MaterialKind.VERIFICATION_PHOTO, person_id__in=person_ids)
        .select_related("photo_check")
        .order_by("uploaded_at", "id")
    }
    links = list(
        PrincipalPhotoLink.objects.filter(order=order, person_id__in=person_ids).order_by("-created_at", "-id")
    )
    sessions = list(
        ShanghaiAppSession.objects.filter(
            order=order, person_id__in=person_ids, revoked_at__isnull=True, pulled_at__isnull=True, expires_at__gt=now
        ).order_by("-created_at", "-id")
    )
    remarks = list(
        FieldRemark.objects.filter(order=order, resolved_at__isnull=True, event__action=PHOTO_REJECTION).order_by(
            "created_at", "id"
        )
    )
    principals = []
    for requirement in requirements:
        state = PrincipalState(requirement=requirement, person=people[requirement.person_id])
        state.material = photos.get(requirement.person_id)
        state.check = getattr(state.material, "photo_check", None) if state.material else None
        state.remarks = [r.message for r in remarks if remark_person_id(r.field) == requirement.person_id]
        for link in links:
            if link.person_id != requirement.person_id:
                continue
            if link.is_open(now) and state.link is None:
                state.link, state.link_token = link, tokens.make_token(link, salt=tokens.LINK_SALT)
            if link.used_at is not None and state.used_link is None:
                state.used_link = link
        session = next((s for s in sessions if s.person_id == requirement.person_id and not s.locked), None)
        if session is not None:
            state.session, state.session_token = session, tokens.make_token(session, salt=tokens.APP_SALT)
        principals.append(state)
    person_ids_set = set(person_ids)
    order_remarks = [r.message for r in remarks if remark_person_id(r.field) not in person_ids_set]
    # A backdrop the applicant received for another order: worth saying that it can be used again.
    backdrop_elsewhere = (backdrop is None or not backdrop.ready) and Backdrop.objects.filter(
        order__applicant_id=order.applicant_id, status="delivered"
    ).exclude(order=order).exists()
    return PhotoStep(
        order=order,
        method=method,
        backdrop=backdrop,
        principals=principals,
        order_remarks=order_remarks,
        backdrop_elsewhere=backdrop_elsewhere,
    )


def photo_checks_of(order: FilingOrder) -> list[PhotoCheck]:
    """The checks of an order's verification photos (source, size, clothing warnings), for the reviewer's page."""
    return list(
        PhotoCheck.objects.filter(material__order=order, material__kind=MaterialKind.VERIFICATION_PHOTO)
        .select_related("material", "material__person")
        .order_by("material__person_id")
    )


def app_session_by_token(token: str) -> ShanghaiAppSession | None:
    """The app session a QR code stands for, in whatever state (the app page explains each)."""
    found = tokens.read_token(token, salt=tokens.APP_SALT)
    if found is None:
        return None
    session = ShanghaiAppSession.objects.select_related("order", "person").filter(pk=found[0]).first()
    if session is None or not tokens.nonce_matches(session, found[1]):
        return None
    return session
