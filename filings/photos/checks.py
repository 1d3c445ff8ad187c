"""The pre-checks of a verification photo (docs/photos.md, "Checks").

Refusals: what ``filings.materials.images`` refuses (not a JPEG, PNG or GIF by its content, over 4 MB, damaged, over
40 megapixels), and a photo smaller than ``MIN_PHOTO_WIDTH`` × ``MIN_PHOTO_HEIGHT`` once turned upright.

A warning, never a refusal: red or blue clothing. The heuristic looks at the lower middle of the frame
(``CLOTHING_REGION``: where the chest is in a head-and-shoulders photo in front of the backdrop), scaled down to at
most 64 × 48 by averaging, in HSV. A pixel is "strongly red" or "strongly blue" when its hue is in ``RED_HUES`` or
``BLUE_HUES`` and both its saturation and brightness pass the minimums (pale, grey and dark pixels count as neither).
When either share reaches ``CLOTHING_SHARE_THRESHOLD`` the photo gets the warning. It knows nothing of people: a
photo framed differently, a red scarf, or coloured light can fool it either way, so a reviewer still looks.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageChops, ImageOps

from ..materials import images
from ..materials.services import MaterialRefused
from .constants import (
    BLUE_HUES,
    CLOTHING_REGION,
    CLOTHING_SHARE_THRESHOLD,
    COLOUR_MIN_SATURATION,
    COLOUR_MIN_VALUE,
    MIN_PHOTO_HEIGHT,
    MIN_PHOTO_WIDTH,
    RED_HUES,
    PhotoWarning,
)

SAMPLE_SIZE = (64, 48)


class PhotoRefused(MaterialRefused):
    """A photo, link or code refused by the photo step, with the form field it belongs beside."""


@dataclass(frozen=True)
class PhotoAssessment:
    width: int
    height: int
    red_share: float
    blue_share: float
    warnings: tuple[str, ...]

    @property
    def warning_messages(self) -> list[str]:
        return [PhotoWarning(code).label for code in self.warnings]


def _mask(channel: Image.Image, ranges) -> Image.Image:
    """255 where the channel's value lies in one of the inclusive ``ranges``, else 0."""
    table = [255 if any(low <= value <= high for low, high in ranges) else 0 for value in range(256)]
    return channel.point(table)


def clothing_shares(image: Image.Image) -> tuple[float, float]:
    """The shares of strongly red and strongly blue pixels in the clothing region of an upright RGB-able image."""
    width, height = image.size
    left, top, right, bottom = CLOTHING_REGION
    box = (int(width * left), int(height * top), max(int(width * right), 1), max(int(height * bottom), 1))
    region = image.convert("RGB").crop(box)
    region.thumbnail(SAMPLE_SIZE, Image.Resampling.BOX)
    hue, saturation, value = region.convert("HSV").split()
    vivid = ImageChops.multiply(
        _mask(saturation, ((COLOUR_MIN_SATURATION, 255),)), _mask(value, ((COLOUR_MIN_VALUE, 255),))
    )
    total = region.width * region.height
    red = ImageChops.multiply(vivid, _mask(hue, RED_HUES)).histogram()[255]
    blue = ImageChops.multiply(vivid, _mask(hue, BLUE_HUES)).histogram()[255]
    return red / total, blue / total


def assess(data: bytes) -> PhotoAssessment:
    """Decode ``data`` (the checks of ``images.decode``), turn it upright, refuse it when too small, and measure the
    clothing colours. Raises ``PhotoRefused``."""
    try:
        source = images.decode(data)
    except images.ImageRefused as refused:
        raise PhotoRefused(refused.code, refused.message, field="file") from None
    try:
        try:
            upright = ImageOps.exif_transpose(source)
        except Exception:  # a broken EXIF block: judge the pixels as stored
            upright = source
        width, height = upright.size
        if width < MIN_PHOTO_WIDTH or height < MIN_PHOTO_HEIGHT:
            raise PhotoRefused(
                "photo_too_small",
                _(
                    "The photo is %(width)d × %(height)d pixels; it must be at least %(min_width)d × %(min_height)d "
                    "(width × height). Take it again with the camera's normal resolution."
                )
                % {"width": width, "height": height, "min_width": MIN_PHOTO_WIDTH, "min_height": MIN_PHOTO_HEIGHT},
                field="file",
            )
        red, blue = clothing_shares(upright)
    finally:
        source.close()
    warnings = []
    if red >= CLOTHING_SHARE_THRESHOLD:
        warnings.append(PhotoWarning.RED_CLOTHING.value)
    if blue >= CLOTHING_SHARE_THRESHOLD:
        warnings.append(PhotoWarning.BLUE_CLOTHING.value)
    return PhotoAssessment(width, height, round(red, 4), round(blue, 4), tuple(warnings))


def read_and_assess(uploaded_file) -> tuple[bytes, PhotoAssessment]:
    """The uploaded bytes (size-checked) and their assessment."""
    try:
        data = images.read_upload(uploaded_file)
    except images.ImageRefused as refused:
        raise PhotoRefused(refused.code, refused.message, field="file") from None
    return data, assess(data)
