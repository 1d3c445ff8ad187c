"""Decoding, checking and re-encoding an uploaded image (RULES.md, Validation → Materials; docs/materials.md).

Nothing an applicant uploads is stored as sent. The bytes are decoded by Pillow, limited to JPEG, PNG and GIF by
their content (never the name or the browser's content type), checked against a pixel cap, turned upright, and
written out again from the pixels alone: no EXIF, XMP, comments, colour profile or trailing bytes survive. The caller
stores ``ProcessedImage.data``; nothing here touches storage or the database.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without littlecms: profiles are dropped without conversion.
    ImageCms = None

MAX_UPLOAD_BYTES = 4 * 1024 * 1024
# 40 megapixels: an A4 page scanned at 600 dpi is 35 MP; a phone photo 12-50 MP (larger ones are refused with a
# message to scale them down). Decoding 40 MP as RGBA takes 160 MB, which is as far as one upload may go.
MAX_PIXELS = 40_000_000
THUMBNAIL_EDGE = 320
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF")
JPEG_QUALITY = 90

_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16"})

# What a refused file most likely is, by its first bytes, to say so rather than just "not an image".
_KNOWN_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP / Office"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\xd0\xcf\x11\xe0", "Office"),
)


class ImageRefused(Exception):
    """The upload is not an image this portal accepts. ``code`` is stable; ``message`` is for the applicant."""

    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    thumbnail: bytes
    source_format: str
    format: str
    width: int
    height: int
    sha256: str

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.format]

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self.format]


def read_upload(uploaded_file) -> bytes:
    """The uploaded bytes, refusing an empty file and one over MAX_UPLOAD_BYTES (read no further than that)."""
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > MAX_UPLOAD_BYTES:
        raise _too_large(declared)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ImageRefused("empty_file", _("The file is empty (0 bytes). Choose the scan or photo again."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large(len(data))
    return data


def _too_large(size: int) -> ImageRefused:
    return ImageRefused(
        "file_too_large",
        _("The file is %(size)s; the limit is 4 MB. Scan or photograph it at a lower resolution.")
        % {"size": filesizeformat(size)},
    )


def _bomb() -> ImageRefused:
    return ImageRefused(
        "too_many_pixels",
        _("The image is too large in pixels (the limit is 40 megapixels). Scale it down and upload it again."),
    )


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise ImageRefused("damaged_image", _damaged_message())
    if width * height > MAX_PIXELS:
        raise _bomb()


def _damaged_message():
    return _("The image is damaged or incomplete and cannot be read. Save or scan it again.")


def _not_an_image(data: bytes) -> ImageRefused:
    for signature, name in _KNOWN_SIGNATURES:
        if data.startswith(signature):
            if name == "PDF":
                return ImageRefused(
                    "pdf_not_accepted",
                    _("This is a PDF document, not an image. Upload a JPG, PNG or GIF photo or scan of it."),
                )
            return ImageRefused(
                "type_not_accepted",
                _("This is a %(type)s file. Only JPG, PNG and GIF images are accepted.") % {"type": name},
            )
    if len(data) > 12 and data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        return ImageRefused(
            "type_not_accepted",
            _("This is a HEIC or AVIF photo. Save it as JPG and upload it again."),
        )
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return ImageRefused("type_not_accepted", _("This is a WebP image. Only JPG, PNG and GIF images are accepted."))
    return ImageRefused("not_an_image", _("This file is not an image. Upload a JPG, PNG or GIF photo or scan."))


def decode(data: bytes) -> Image.Image:
    """The decoded first frame of ``data``; refuses anything that is not a complete JPEG, PNG or GIF within the cap.

    Pillow's decompression-bomb warning counts as an error too. The warnings filter is process-wide state; should
    another thread reset it meanwhile, the explicit pixel check still refuses the image, before any pixel is decoded.
    """
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # pragma: no cover - a global someone might set; truncated must fail here
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # First pass: the header and the structure (verify() checks PNG chunk CRCs); no pixels decoded.
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                _check_pixels(probe.size)
                probe.verify()
            # verify() leaves the image unusable: open again to decode the pixels of the first frame.
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            _check_pixels(image.size)
            image.load()
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb() from None
        except UnidentifiedImageError:
            raise _not_an_image(data) from None
        except Exception:
            # Truncated data (OSError), broken structure (SyntaxError, struct.error, ValueError…): all "damaged".
            raise ImageRefused("damaged_image", _damaged_message()) from None
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels converted from an embedded colour profile to sRGB, so the profile can be dropped without a colour
    shift; untagged output is read as sRGB everywhere. Without a usable profile the pixels are kept as they are."""
    profile = image.info.get("icc_profile")
    if not profile or ImageCms is None or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        target = ImageCms.createProfile("sRGB")
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=output_mode)
    except Exception:  # a broken or unsupported profile: keep the pixels, drop the profile
        return image
    return converted if converted is not None else image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white, for JPEG (which has no transparency)."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _for_jpeg(image: Image.Image) -> Image.Image:
    if _has_alpha(image):
        return _flatten(image)
    if image.mode in ("L", "RGB"):
        return image
    if image.mode == "1":
        return image.convert("L")
    return image.convert("RGB")


def _for_png(image: Image.Image) -> Image.Image:
    if image.mode in _PNG_MODES:
        return image
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _pixels_only(image: Image.Image) -> tuple[Image.Image, dict]:
    """A copy that carries nothing but pixels (and a palette): Pillow's savers read some metadata (comments,
    colour profiles, transparency) from ``info``, so it is emptied and only transparency is passed back on."""
    clean = image.copy()
    keep = {}
    if "transparency" in image.info and clean.mode in ("P", "L", "RGB", "1"):
        keep["transparency"] = image.info["transparency"]
    clean.info = {}
    return clean, keep


def _encode(image: Image.Image, output_format: str, extra: dict) -> bytes:
    buffer = io.BytesIO()
    if output_format == "JPEG":
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(buffer, format="PNG", compress_level=6, **extra)
    return buffer.getvalue()


def _thumbnail(image: Image.Image, output_format: str) -> bytes:
    thumb = image.convert("RGBA") if image.mode in ("P", "1", "LA", "I;16") else image.copy()
    if output_format == "JPEG" and _has_alpha(thumb):
        thumb = _flatten(thumb)
    thumb.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.LANCZOS)
    thumb.info = {}
    return _encode(thumb, output_format, {})


def output_format_for(source_format: str, *, photo: bool) -> str:
    """JPEG for photographs and JPEG input; PNG for PNG and GIF input (lossless for scans with text; a GIF's
    animation, comments and extension blocks are not wanted on a document)."""
    if photo or source_format == "JPEG":
        return "JPEG"
    return "PNG"


def process(data: bytes, *, photo: bool = False) -> ProcessedImage:
    """Decode ``data`` and encode it afresh (see the module docstring). Raises ``ImageRefused``."""
    source = decode(data)
    source_format = source.format
    try:
        try:
            upright = ImageOps.exif_transpose(source)
        except Exception:  # a broken EXIF block: the pixels are fine, only the orientation is unknown
            upright = source
        upright = _to_srgb(upright)
        output_format = output_format_for(source_format, photo=photo)
        shaped = _for_jpeg(upright) if output_format == "JPEG" else _for_png(upright)
        clean, extra = _pixels_only(shaped)
        encoded = _encode(clean, output_format, extra)
        thumbnail = _thumbnail(clean, output_format)
    except ImageRefused:
        raise
    except Exception:
        # A file that decodes but cannot be re-encoded (an exotic mode, a broken EXIF block) is refused like a
        # damaged one rather than stored as sent.
        raise ImageRefused("damaged_image", _damaged_message()) from None
    finally:
        source.close()
    return ProcessedImage(
        data=encoded,
        thumbnail=thumbnail,
        source_format=source_format,
        format=output_format,
        width=clean.width,
        height=clean.height,
        sha256=hashlib.sha256(encoded).hexdigest(),
    )
