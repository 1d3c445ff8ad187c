"""Choices and the numbers the photo step runs on (docs/photos.md says why each is what it is)."""

from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShipmentStatus(models.TextChoices):
    """The simulated parcel of a bought backdrop, advanced by the beat task ``filings.advance_backdrop_shipments``."""

    PURCHASED = "purchased", _("Purchased")
    SHIPPED = "shipped", _("Shipped")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered")


class BackdropDeclaration(models.TextChoices):
    """Why the applicant may photograph without waiting for a parcel."""

    OWN = "own", _("I already have a backdrop")
    PROVIDER_APP = "provider_app", _("The provider's app")


class PhotoSource(models.TextChoices):
    """How a verification photo reached the order (recorded for the reviewer)."""

    APPLICANT = "applicant", _("Uploaded by the applicant")
    PRINCIPAL_LINK = "principal_link", _("Uploaded by the principal through a link")
    SHANGHAI_APP = "shanghai_app", _("Taken in the Shanghai administration's app")
    MATERIALS_PAGE = "materials_page", _("Uploaded on the materials page")


class PhotoWarning(models.TextChoices):
    """What the pre-check warns about without refusing the photo."""

    RED_CLOTHING = (
        "red_clothing",
        _("The clothing looks red. Red or blue clothing is not accepted: change and take the photo again."),
    )
    BLUE_CLOTHING = (
        "blue_clothing",
        _("The clothing looks blue. Red or blue clothing is not accepted: change and take the photo again."),
    )


# The simulated purchase (收费幕布): a price shown and stored, nothing charged.
BACKDROP_PRICE = Decimal("30.00")
# How long each shipment step takes on the portal's clock: the warehouse, the courier's pick-up, the journey.
SHIPMENT_STEPS = (
    (ShipmentStatus.PURCHASED, ShipmentStatus.SHIPPED, "shipped_at"),
    (ShipmentStatus.SHIPPED, ShipmentStatus.IN_TRANSIT, "in_transit_at"),
    (ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED, "delivered_at"),
)
SHIPMENT_DURATIONS = {
    ShipmentStatus.PURCHASED: timedelta(hours=4),
    ShipmentStatus.SHIPPED: timedelta(hours=12),
    ShipmentStatus.IN_TRANSIT: timedelta(hours=48),
}

# The photo: at least this many pixels wide and high once turned upright (a portrait 600 × 800, or larger).
MIN_PHOTO_WIDTH = 600
MIN_PHOTO_HEIGHT = 800
# The clothing heuristic (checks.py): the share of strongly red or blue pixels in the lower middle of the photo.
CLOTHING_REGION = (0.30, 0.65, 0.70, 0.95)  # left, top, right, bottom as fractions of the width and height
CLOTHING_SHARE_THRESHOLD = 0.20
COLOUR_MIN_SATURATION = 128  # of 255
COLOUR_MIN_VALUE = 64  # of 255
RED_HUES = ((0, 11), (241, 255))  # of 255: about ±15° around red
BLUE_HUES = ((142, 184),)  # of 255: about 200°-260°

# A principal's link (no account): how long it works; it works once.
PRINCIPAL_LINK_VALID = timedelta(days=7)
# The Shanghai app: how long its QR code works, how long a picture code works, how many wrong entries it takes.
APP_SESSION_VALID = timedelta(hours=24)
PICTURE_CODE_VALID = timedelta(minutes=30)
PICTURE_CODE_LENGTH = 8
PICTURE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a phone screen
APP_MAX_VERIFY_FAILURES = 5
