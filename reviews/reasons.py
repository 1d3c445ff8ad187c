"""The rejection-reason catalogue applied to one order.

A reason's ``target`` names a kind of field (``subject_principal.mobile``, ``website.name``); on an order it becomes
one or more *options*, each with the dotted path the applicant's pages show remarks beside (``people.<id>.mobile``,
``websites.<index>.name``) and a label for the reviewer. A reason about "a website" gives one option per website of
the order, so the reviewer picks which one; the rejection stores the chosen path on the ``FieldRemark``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from filings.constants import MaterialKind
from filings.wizard_labels import place_of

from .constants import ReasonStage, ReasonTarget
from .models import RejectionReason

T = ReasonTarget


@dataclass(frozen=True)
class ReasonOption:
    """One reason applied to one place of the order: ``value`` is what the rejection form posts."""

    reason: RejectionReason
    path: str
    section: str
    field_label: str = ""

    @property
    def place(self) -> str:
        return f"{self.section} · {self.field_label}" if self.field_label else self.section

    @property
    def value(self) -> str:
        return f"{self.reason.pk}|{self.path}"

    @property
    def message(self) -> str:
        return self.reason.message


@dataclass(frozen=True)
class ChosenReason:
    """A reason the reviewer chose, at a path, with an optional note (what a rejection service takes)."""

    reason_id: int
    path: str
    note: str = ""

    @classmethod
    def parse(cls, value: str, note: str = "") -> "ChosenReason | None":
        reason_id, _sep, path = value.partition("|")
        if not reason_id.isdigit():
            return None
        return cls(int(reason_id), path, note.strip())


@dataclass(frozen=True)
class OrderShape:
    """What the targets resolve against: the order's subject principal, websites (in order) and the people with a
    verification photo."""

    order: object
    subject_principal: object
    websites: list
    people: dict
    photo_people: list


def order_shape(order) -> OrderShape:
    subject = getattr(order, "subject_application", None)
    websites = list(order.websites.select_related("principal").order_by("position", "id"))
    people = {p.pk: p for p in order.people.all()}
    photo_ids = set(
        order.materials.filter(kind=MaterialKind.VERIFICATION_PHOTO, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    principals = [subject.principal if subject else None] + [w.principal for w in websites]
    photo_people, seen = [], set()
    for person in principals:
        if person is not None and person.pk not in seen and (not photo_ids or person.pk in photo_ids):
            seen.add(person.pk)
            photo_people.append(person)
    return OrderShape(
        order=order,
        subject_principal=subject.principal if subject else None,
        websites=websites,
        people=people,
        photo_people=photo_people,
    )


def _at(shape: OrderShape, path: str) -> tuple[str, str, str]:
    place = place_of(shape.order, path, people=shape.people, websites=shape.websites)
    return path, str(place.section), str(place.label)


def _paths(reason: RejectionReason, shape: OrderShape) -> list[tuple[str, str, str]]:
    """(path, section, field label) of each place ``reason`` applies to on the order."""
    target = reason.target
    kind, _dot, field = target.partition(".")
    if target == T.ORDER:
        return [("", str(_("The whole order")), "")]
    if target == T.MATERIALS:
        return [("materials", str(_("Filing materials")), "")]
    if kind == "subject":
        return [_at(shape, target)]
    if kind == "subject_principal":
        person = shape.subject_principal
        return [_at(shape, f"people.{person.pk}.{field}")] if person else []
    if kind == "website":
        return [_at(shape, f"websites.{i}.{field}") for i in range(len(shape.websites))]
    if kind == "website_principal":
        seen, found = set(), []
        for website in shape.websites:
            person = website.principal
            if person is not None and person.pk not in seen:
                seen.add(person.pk)
                found.append(_at(shape, f"people.{person.pk}.{field}"))
        return found
    if target == T.PHOTO:
        return [
            (
                f"materials.{MaterialKind.VERIFICATION_PHOTO.value}.person.{person.pk}",
                str(_("Verification photo")),
                person.name or str(_("a principal")),
            )
            for person in shape.photo_people
        ]
    return []


def active_reasons(stage: str) -> list[RejectionReason]:
    return list(RejectionReason.objects.filter(stage=stage, is_active=True).order_by("position", "id"))


def reason_options(order, *, stage: str = ReasonStage.INITIAL_REVIEW, shape: OrderShape | None = None):
    """Every (reason, place) a reviewer may reject ``order`` with at ``stage``, in catalogue order."""
    shape = shape or order_shape(order)
    return [
        ReasonOption(reason, path, section, label)
        for reason in active_reasons(stage)
        for path, section, label in _paths(reason, shape)
    ]
