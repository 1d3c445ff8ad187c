"""Sample files for the material tests. Each function returns bytes."""

import io
import os
import struct
import zlib

from PIL import ExifTags, Image, ImageCms, ImageDraw

MB = 1024 * 1024


def _save(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def picture(size=(120, 80), mode="RGB") -> Image.Image:
    """A small picture with some structure, so re-encoding has something to keep."""
    image = Image.new(mode, size, "white" if mode != "P" else 0)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, size[0] // 2, size[1] // 2), fill="red" if mode == "RGB" else 1)
    draw.line((0, size[1] - 1, size[0] - 1, 0), fill="blue" if mode == "RGB" else 2, width=3)
    return image


def jpeg(size=(120, 80), **params) -> bytes:
    return _save(picture(size), "JPEG", quality=92, **params)


def png(size=(120, 80), mode="RGB") -> bytes:
    image = picture(size) if mode == "RGB" else picture(size).convert(mode)
    return _save(image, "PNG")


def gif(size=(120, 80), **params) -> bytes:
    return _save(picture(size).convert("P"), "GIF", **params)


def animated_gif(size=(60, 40), frames=3) -> bytes:
    images = [Image.new("P", size, color=index * 40) for index in range(frames)]
    return _save(images[0], "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)


def bmp(size=(40, 30)) -> bytes:
    return _save(picture(size), "BMP")


def text() -> bytes:
    return "这不是图片 — this is a note, not an image.\n".encode()


def pdf() -> bytes:
    """A tiny, valid-looking PDF (what a renamed ``x.jpg`` really is)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def truncated_jpeg(size=(400, 300)) -> bytes:
    data = jpeg(size)
    return data[: len(data) // 2]


def noisy_png(min_bytes=5 * MB) -> bytes:
    """Random pixels do not compress: a PNG a little over ``min_bytes`` (yet far below the pixel cap)."""
    side = int((min_bytes / 3) ** 0.5) + 16
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    data = _save(image, "PNG", compress_level=1)
    assert len(data) > min_bytes
    return data


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_declaring(width: int, height: int, bit_depth=1, colour_type=0) -> bytes:
    """A PNG of a few hundred bytes whose header declares ``width`` x ``height``: a decompression bomb needs no
    more than that to make a naive decoder allocate gigabytes. The image data is a few compressed rows."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width * bit_depth + 7) // 8)
    body = zlib.compress(row * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def deflate_bomb_png(width=8000, height=6250) -> bytes:
    """A complete, valid 1-bit PNG of 50 megapixels (over the 40 MP cap, under Pillow's own limit) in a few KB."""
    return _save(Image.new("1", (width, height)), "PNG")


PAYLOAD = b"PK\x03\x04<script>alert('polyglot')</script>#!/bin/sh\nrm -rf /\n"


def jpeg_with_trailing_payload() -> bytes:
    """A JPEG followed by other bytes (a ZIP, a script): viewers show the image, other tools read the rest."""
    return jpeg() + PAYLOAD


def gif_polyglot() -> bytes:
    """A GIF carrying a script in its comment extension and more after its trailer."""
    return gif(comment=PAYLOAD) + PAYLOAD


GPS_LATITUDE = (39.0, 54.0, 27.0)


def jpeg_with_gps(size=(80, 40), icc=True) -> bytes:
    """A camera-style JPEG: EXIF with GPS position, make and model, orientation 6 (rotate 90° clockwise to view),
    a comment, and (``icc``) an ICC profile."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretPhone"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 17.0)
    params = {"exif": exif, "comment": b"shot at home"}
    if icc:
        params["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _save(picture(size), "JPEG", **params)
