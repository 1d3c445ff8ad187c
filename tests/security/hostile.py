"""The corpus of hostile uploads: files that must be refused, and valid images that carry a payload which must not
survive re-encoding. Everything is generated here (with Pillow or by hand); nothing binary is committed. The simple
samples come from the materials tests (tests/filings/hostile/generators.py)."""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tests.filings.hostile import generators as samples

PHP = b"<?php system($_GET['cmd']); ?>"
SCRIPT = b"<script>alert(document.cookie)</script>"


def _save(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


# --- files that are not what they claim to be ---------------------------------------------------------------------


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" onload="alert(1)">'
        b'<rect width="120" height="80" fill="red"/>' + SCRIPT + b"</svg>\n"
    )


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><head><title>x</title></head><body>" + SCRIPT + b"</body></html>\n"


def php_script() -> bytes:
    return PHP + b"\n"


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shell.php", PHP)
    return buffer.getvalue()


def windows_executable() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def tiff() -> bytes:
    return _save(samples.picture(), "TIFF")


def webp() -> bytes:
    return _save(samples.picture(), "WEBP")


def heic_header() -> bytes:
    """The first box of an iPhone photo (HEIC): what a renamed .jpg from a phone often is."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 64


# --- damaged and truncated images -----------------------------------------------------------------------------------


def truncated_png() -> bytes:
    data = samples.png(size=(400, 300))
    return data[: len(data) // 2]


def truncated_gif() -> bytes:
    data = samples.gif(size=(400, 300))
    return data[: len(data) // 2]


def png_with_a_broken_checksum() -> bytes:
    data = bytearray(samples.png())
    start = data.index(b"IDAT") + 4
    data[start + 5] ^= 0xFF
    return bytes(data)


def png_zero_width() -> bytes:
    return samples.png_declaring(0, 80)


# --- images whose header declares billions of pixels ----------------------------------------------------------------


def gif_declaring(width=65535, height=65535) -> bytes:
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    image = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x4c\x01\x00"
    return header + image + b";"


def jpeg_declaring(width=60000, height=60000) -> bytes:
    """A real JPEG whose start-of-frame marker is rewritten to say ``width`` x ``height``."""
    data = bytearray(samples.jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# --- valid images that carry something else -----------------------------------------------------------------------


def jpeg_zip_polyglot() -> bytes:
    """A JPEG an image viewer shows and an unzip tool opens (a ZIP after the end-of-image marker)."""
    return samples.jpeg() + zip_archive()


def png_html_polyglot() -> bytes:
    """A PNG with an HTML page after IEND: a browser sniffing the content could render the script."""
    return samples.png() + html_page()


def png_php_after_iend() -> bytes:
    return samples.png() + PHP


def jpeg_php_after_eoi() -> bytes:
    return samples.jpeg() + PHP


def gif_js_polyglot() -> bytes:
    """A GIF that is also JavaScript: its width bytes open a comment (``GIF89a/*``) that the bytes after the
    trailer close (``*/=alert(…)``), so ``<script src=…>`` of the image would run. 10799 x 10 pixels."""
    data = _save(Image.new("P", (0x2A2F, 10)), "GIF")
    assert data[6:8] == b"/*" and b"*/" not in data
    return b"GIF89a" + data[6:] + b"*/=alert('gif-js');"


def png_text_chunks() -> bytes:
    info = PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_text("Software", PHP.decode(), zip=True)
    info.add_itxt("Description", "<iframe src=javascript:alert(1)>", lang="en")
    return _save(samples.picture(), "PNG", pnginfo=info)


def jpeg_php_comment() -> bytes:
    return _save(samples.picture(), "JPEG", quality=92, comment=PHP)


def jpeg_xmp_script() -> bytes:
    """A JPEG with an XMP packet (APP1) carrying a script, inserted right after the start-of-image marker."""
    packet = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><x:xmptk>' + SCRIPT + b"</x:xmptk></x:xmpmeta>"
    body = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    segment = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    data = samples.jpeg()
    return data[:2] + segment + data[2:]


def png_chunk_after_idat() -> bytes:
    """A private ancillary chunk (``evIl``) after the image data, carrying a script; decoders skip it."""
    data = samples.png()
    end = data.index(b"IEND") - 4
    return data[:end] + _chunk(b"evIl", SCRIPT + PHP) + data[end:]


@dataclass(frozen=True)
class Hostile:
    label: str
    make: object
    filename: str
    content_type: str
    # Refused: the code and words of the message. Accepted: the bytes that must be gone.
    code: str = ""
    words: str = ""
    payload: tuple[bytes, ...] = ()

    @property
    def refused(self) -> bool:
        return bool(self.code)


def _refused(label, make, filename, content_type, code, words):
    return Hostile(label, make, filename, content_type, code=code, words=words)


def _cleaned(label, make, filename, content_type, *payload):
    return Hostile(label, make, filename, content_type, payload=payload)


NOT_AN_IMAGE = ("not_an_image", "not an image")
DAMAGED = ("damaged_image", "damaged or incomplete")
TOO_MANY_PIXELS = ("too_many_pixels", "40 megapixels")

CORPUS = [
    # wrong types and wrong extensions
    _refused("text named .jpg", samples.text, "notes.jpg", "image/jpeg", *NOT_AN_IMAGE),
    _refused("PDF named .jpg", samples.pdf, "licence.jpg", "image/jpeg", "pdf_not_accepted", "PDF"),
    _refused("PDF named .png", samples.pdf, "licence.png", "image/png", "pdf_not_accepted", "PDF"),
    _refused("SVG with script", svg_with_script, "logo.svg", "image/svg+xml", *NOT_AN_IMAGE),
    _refused("SVG with script named .png", svg_with_script, "logo.png", "image/png", *NOT_AN_IMAGE),
    _refused("HTML named .jpg", html_page, "scan.jpg", "image/jpeg", *NOT_AN_IMAGE),
    _refused("PHP named .gif", php_script, "shell.php.gif", "image/gif", *NOT_AN_IMAGE),
    _refused("ZIP named .jpg", zip_archive, "scan.jpg", "image/jpeg", "type_not_accepted", "ZIP"),
    _refused("EXE named .png", windows_executable, "scan.png", "image/png", *NOT_AN_IMAGE),
    _refused("BMP named .png", samples.bmp, "scan.png", "image/png", "type_not_accepted", "BMP"),
    _refused("TIFF named .jpg", tiff, "scan.jpg", "image/jpeg", "type_not_accepted", "TIFF"),
    _refused("WebP named .jpg", webp, "scan.jpg", "image/jpeg", "type_not_accepted", "WebP"),
    _refused("HEIC named .jpg", heic_header, "IMG_0001.jpg", "image/jpeg", "type_not_accepted", "HEIC"),
    # empty, truncated, damaged
    _refused("empty file", lambda: b"", "empty.jpg", "image/jpeg", "empty_file", "empty"),
    _refused("truncated JPEG", samples.truncated_jpeg, "scan.jpg", "image/jpeg", *DAMAGED),
    _refused("truncated PNG", truncated_png, "scan.png", "image/png", *DAMAGED),
    _refused("truncated GIF", truncated_gif, "scan.gif", "image/gif", *DAMAGED),
    _refused("PNG with a broken checksum", png_with_a_broken_checksum, "scan.png", "image/png", *DAMAGED),
    _refused("PNG 0 pixels wide", png_zero_width, "scan.png", "image/png", *NOT_AN_IMAGE),
    # too big, in bytes or in pixels (bombs)
    _refused("5 MB PNG", samples.noisy_png, "big.png", "image/png", "file_too_large", "4 MB"),
    _refused(
        "PNG declaring 20000x20000", lambda: samples.png_declaring(20000, 20000), "b.png", "image/png", *TOO_MANY_PIXELS
    ),
    _refused("50 MP deflate bomb", samples.deflate_bomb_png, "bomb.png", "image/png", *TOO_MANY_PIXELS),
    _refused("GIF declaring 65535x65535", gif_declaring, "bomb.gif", "image/gif", *TOO_MANY_PIXELS),
    _refused("JPEG declaring 60000x60000", jpeg_declaring, "bomb.jpg", "image/jpeg", *TOO_MANY_PIXELS),
    # valid images carrying a payload: stored re-encoded, the payload gone
    _cleaned("JPEG+ZIP polyglot", jpeg_zip_polyglot, "scan.jpg", "image/jpeg", b"PK\x03\x04", b"shell.php", PHP),
    _cleaned("PNG+HTML polyglot", png_html_polyglot, "scan.png", "image/png", b"<html", SCRIPT),
    _cleaned("GIF/JS polyglot", gif_js_polyglot, "scan.gif", "image/gif", b"GIF89a/*", b"alert("),
    _cleaned("GIF with script comment and trailer", samples.gif_polyglot, "scan.gif", "image/gif", b"<script>", b"PK"),
    _cleaned("PHP after PNG IEND", png_php_after_iend, "scan.png", "image/png", PHP, b"<?php"),
    _cleaned("PHP after JPEG EOI", jpeg_php_after_eoi, "scan.jpg", "image/jpeg", PHP, b"<?php"),
    _cleaned("JPEG comment with PHP", jpeg_php_comment, "scan.jpg", "image/jpeg", b"<?php"),
    _cleaned("JPEG XMP with script", jpeg_xmp_script, "scan.jpg", "image/jpeg", b"<script>", b"ns.adobe.com/xap"),
    _cleaned("PNG text chunks with script", png_text_chunks, "scan.png", "image/png", b"tEXt", b"zTXt", b"iTXt"),
    _cleaned("PNG private chunk with script", png_chunk_after_idat, "scan.png", "image/png", b"evIl", b"<script>"),
    _cleaned(
        "EXIF GPS position and camera",
        samples.jpeg_with_gps,
        "IMG_2001.jpg",
        "image/jpeg",
        b"Exif",
        b"SecretPhone",
        b"shot at home",
    ),
]
