"""Test helpers: portrait photos with a chosen clothing colour, made with Pillow (for the test suite and demos)."""

import io

from PIL import Image, ImageDraw

NEUTRAL = (128, 128, 128)
RED = (200, 30, 35)
BLUE = (30, 70, 185)
BACKDROP = (236, 238, 242)


def portrait(*, clothing=NEUTRAL, size=(600, 800)) -> Image.Image:
    """A head-and-shoulders figure in front of a pale backdrop: face in the upper middle, clothing below."""
    width, height = size
    image = Image.new("RGB", size, BACKDROP)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, int(height * 0.06)), fill=(255, 106, 0))  # the backdrop's logo band
    draw.ellipse((width * 0.36, height * 0.14, width * 0.64, height * 0.48), fill=(226, 190, 160))
    draw.rounded_rectangle((width * 0.18, height * 0.55, width * 0.82, height * 1.1), radius=60, fill=clothing)
    return image


def photo_bytes(*, clothing=NEUTRAL, size=(600, 800), fmt="JPEG") -> bytes:
    buffer = io.BytesIO()
    portrait(clothing=clothing, size=size).save(buffer, fmt)
    return buffer.getvalue()


def photo_upload(*, clothing=NEUTRAL, size=(600, 800), name="photo.jpg"):
    """A Django ``SimpleUploadedFile`` of a portrait."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, photo_bytes(clothing=clothing, size=size), content_type="image/jpeg")


def move_order_to(order, province_code: str):
    """Put an order in another province (its photo method follows the province rule)."""
    from ..models import FilingOrder

    FilingOrder.objects.filter(pk=order.pk).update(province_id=province_code)
    order.refresh_from_db()
    return order


def add_website_with_principal(order, *, name="李娜", mobile="13900139000", certificate_number="110105198001011238"):
    """A second website on the order with a principal of its own, who needs a photo too."""
    from ..models import PersonApplication, WebsiteApplication

    person = PersonApplication.objects.create(
        order=order,
        name=name,
        certificate_type="resident_id",
        certificate_number=certificate_number,
        mobile=mobile,
        office_phone="086-010-62345679",
        email="li.na@example.com",
    )
    WebsiteApplication.objects.create(
        order=order,
        position=1,
        principal=person,
        name="示例科技博客",
        homepage_url="https://blog.example.com/",
        service_content=["organisation_portal"],
        languages=["zh_hans"],
    )
    return person
