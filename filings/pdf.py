"""下载核验单: the authenticity verification form (网站备案信息真实性核验单) of an order, pre-filled, as a PDF.

The applicant prints it, checks it, signs it in black ink and uploads a scan (material kind
``authenticity_statement``). The form is a Chinese administrative document, so its wording is Chinese whatever the
reader's language; choice values (filing type, nature, certificate types) are rendered through the zh_Hans
catalogue. Chinese is set in reportlab's built-in CID font STSong-Light: no font file ships with the project, and
the PDF viewer supplies the glyphs (DESIGN.md, "Known traps").
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core import clock
from regions.selectors import region_full_name

from .models import FilingOrder, PersonApplication, SubjectApplication, WebsiteApplication

FONT = "STSong-Light"
TITLE = "网站备案信息真实性核验单"

DECLARATION = (
    "本人（单位）郑重承诺：本核验单所列及在备案系统中提交的备案信息真实、准确、完整，所提交的证件及资料真实有效，"
    "并已阅读、知悉《非经营性互联网信息服务备案管理办法》等相关规定。如备案信息不真实，愿承担由此产生的一切法律责任，"
    "同意关闭网站并注销备案。"
)
INSTRUCTIONS = (
    "填写说明：请核对以下预填信息，用黑色签字笔签字（单位请加盖公章），不得涂改；"
    "域名注册商一栏请填写域名注册商名称（中文简称即可，如 aliyun.xin 阿里云）。"
    "签字后的核验单原件请保存三份，以备后续环节使用；扫描件或照片上传至备案系统。"
)

_registered = False


def _register_font() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=22, alignment=TA_CENTER, spaceAfter=4),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, alignment=TA_CENTER, textColor=colors.HexColor("#444")),
        "section": ParagraphStyle("section", parent=base, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4),
        "label": ParagraphStyle("label", parent=base, textColor=colors.HexColor("#222")),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12, textColor=colors.HexColor("#333")),
    }


def _text(value) -> str:
    """A value as safe paragraph markup: reportlab paragraphs read a small XML dialect."""
    if value is None:
        return ""
    return escape(str(value)).replace("\n", "<br/>")


_GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#555555")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f2f5")),
        ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f0f2f5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
)
_WIDTH = A4[0] - 36 * mm


def _display_width(value) -> int:
    """Roughly how many Latin characters wide ``value`` is set: a Chinese character takes two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in str(value or ""))


def _pairs_table(rows: list[tuple[str, object]], styles) -> Table:
    """Label/value pairs, two pairs to a row; a value too long for half a row takes its whole row."""
    cells, line = [], []
    spans = []
    for label, value in rows:
        text = _text(value)
        wide = _display_width(value) > 30
        if wide and line:
            line += ["", ""]
            cells.append(line)
            line = []
        line += [Paragraph(_text(label), styles["label"]), Paragraph(text, styles["body"])]
        if wide:
            spans.append(len(cells))
            line += ["", ""]
        if len(line) == 4:
            cells.append(line)
            line = []
    if line:
        cells.append([*line, "", ""])
    widths = [_WIDTH * 0.19, _WIDTH * 0.31, _WIDTH * 0.19, _WIDTH * 0.31]
    table = Table(cells, colWidths=widths)
    commands = list(_GRID.getCommands())
    for row in spans:
        commands.append(("SPAN", (1, row), (3, row)))
    table.setStyle(TableStyle(commands))
    return table


def _display(instance, field: str) -> str:
    return str(getattr(instance, f"get_{field}_display")())


def _region(subject: SubjectApplication) -> str:
    region = subject.district or subject.city or subject.province
    return region_full_name(region) if region else ""


def _person_rows(person: PersonApplication | None) -> list[tuple[str, object]]:
    if person is None:
        return [("负责人姓名", "（未填写）")]
    return [
        ("负责人姓名", person.name),
        ("证件类型", _display(person, "certificate_type")),
        ("证件号码", person.certificate_number),
        ("手机号码", person.mobile),
        ("办公电话", person.office_phone),
        ("电子邮箱", person.email),
    ]


def _website_table(website: WebsiteApplication, index: int, styles) -> list:
    domains = [domain.name for domain in website.domains.all()]
    principal = website.principal
    flow = [Paragraph(f"三、网站信息（{index}）", styles["section"])]
    flow.append(
        _pairs_table(
            [
                ("网站名称", website.name or "（未填写）"),
                ("备案服务号", website.service_number.number if website.service_number_id else "（未绑定）"),
                ("网站首页网址", website.homepage_url),
                ("网站负责人", f"{principal.name}（{principal.certificate_number}）" if principal else "（未填写）"),
            ],
            styles,
        )
    )
    header = [Paragraph(text, styles["label"]) for text in ("序号", "网站域名", "域名注册商（请手写）")]
    rows = [header] + [
        [Paragraph(str(n), styles["body"]), Paragraph(_text(name), styles["body"]), ""]
        for n, name in enumerate(domains, start=1)
    ]
    if len(rows) == 1:
        rows.append(["", Paragraph("（未填写域名）", styles["body"]), ""])
    domain_table = Table(rows, colWidths=[_WIDTH * 0.1, _WIDTH * 0.5, _WIDTH * 0.4], repeatRows=1)
    domain_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#555555")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f2f5")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    flow += [Spacer(1, 3 * mm), domain_table]
    return [KeepTogether(flow)]


def _signature_table(styles) -> Table:
    rows = [
        [
            Paragraph("主体负责人签字（单位加盖公章）", styles["label"]),
            "",
            Paragraph("日期", styles["label"]),
            Paragraph("年　　月　　日", styles["body"]),
        ],
        [
            Paragraph("网站负责人签字", styles["label"]),
            "",
            Paragraph("日期", styles["label"]),
            Paragraph("年　　月　　日", styles["body"]),
        ],
        [
            Paragraph("核验人（接入服务商填写）", styles["label"]),
            "",
            Paragraph("核验日期", styles["label"]),
            Paragraph("年　　月　　日", styles["body"]),
        ],
    ]
    table = Table(
        rows,
        colWidths=[_WIDTH * 0.26, _WIDTH * 0.34, _WIDTH * 0.12, _WIDTH * 0.28],
        rowHeights=[15 * mm, 15 * mm, 12 * mm],
    )
    table.setStyle(_GRID)
    return table


def _footer(canvas, doc, number: str) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(colors.HexColor("#666666"))
    canvas.drawString(18 * mm, 10 * mm, f"{TITLE}  备案订单号：{number}")
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"第 {doc.page} 页")
    canvas.restoreState()


def authenticity_statement_pdf(order: FilingOrder) -> bytes:
    """The 核验单 of ``order`` as PDF bytes (A4)."""
    _register_font()
    styles = _styles()
    order = (
        FilingOrder.objects.select_related("province", "subject_application__principal")
        .prefetch_related("websites__domains", "websites__principal", "websites__service_number")
        .get(pk=order.pk)
    )
    try:
        subject = order.subject_application
    except SubjectApplication.DoesNotExist:
        subject = None
    websites = list(order.websites.all())
    generated = timezone.localtime(clock.now())

    with translation.override("zh-hans"):
        flow = [
            Paragraph(TITLE, styles["title"]),
            Paragraph(
                _text(f"{settings.PORTAL_NAME}　生成时间：{generated:%Y-%m-%d %H:%M}"),
                styles["meta"],
            ),
            Spacer(1, 4 * mm),
            Paragraph(_text(INSTRUCTIONS), styles["small"]),
            Paragraph("一、备案信息", styles["section"]),
            _pairs_table(
                [
                    ("备案订单号", order.number),
                    ("备案类型", _display(order, "order_type")),
                    ("备案省份", order.province.name),
                    ("网站数量", len(websites)),
                ],
                styles,
            ),
        ]
        if subject is not None:
            flow += [
                Paragraph("二、主办单位信息", styles["section"]),
                _pairs_table(
                    [
                        ("主办单位名称", subject.name or "（未填写）"),
                        ("主办单位性质", _display(subject, "nature")),
                        ("证件类型", _display(subject, "certificate_type")),
                        ("证件号码", subject.certificate_number),
                        ("所属区域", _region(subject)),
                        ("投资人或主管单位", subject.investor),
                        ("证件住所", subject.certificate_address),
                        ("通讯地址", subject.mailing_address),
                    ],
                    styles,
                ),
                Spacer(1, 3 * mm),
                Paragraph("主体负责人", styles["label"]),
                Spacer(1, 1.5 * mm),
                _pairs_table(_person_rows(subject.principal), styles),
            ]
        for index, website in enumerate(websites, start=1):
            flow += _website_table(website, index, styles)
        flow.append(
            KeepTogether(
                [
                    Paragraph("四、承诺与签字", styles["section"]),
                    Paragraph(_text(DECLARATION), styles["body"]),
                    Spacer(1, 4 * mm),
                    _signature_table(styles),
                ]
            )
        )

        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            title=f"{TITLE} {order.number}",
            author=str(settings.PORTAL_NAME),
            subject=TITLE,
        )

        def on_page(canvas, doc):
            _footer(canvas, doc, order.number)

        document.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
