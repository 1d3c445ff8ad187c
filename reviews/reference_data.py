"""The rejection-reason catalogue and the back office's schedules. Idempotent: a reason an administrator edited keeps
its edits (created by code when missing, never overwritten)."""

from core.schedules import ensure_interval

from .constants import PHONE_UNREACHABLE_CODE, ReasonStage, ReasonTarget
from .models import RejectionReason

INITIAL, PHOTO, T = ReasonStage.INITIAL_REVIEW, ReasonStage.PHOTO_REVIEW, ReasonTarget

# (code, stage, target, message to the applicant). The messages are the applicant's reading, in Chinese as the
# seed's forms are; administrators edit them in the admin.
CATALOGUE = (
    ("subject_name", INITIAL, T.SUBJECT_NAME, "主办单位名称与证件不一致，请按证件上的名称填写。"),
    ("subject_certificate_address", INITIAL, T.SUBJECT_CERTIFICATE_ADDRESS, "证件住所与证件不一致，请按证件填写。"),
    (
        "subject_mailing_address",
        INITIAL,
        T.SUBJECT_MAILING_ADDRESS,
        "通讯地址需详细到门牌号；没有门牌号请在备注中说明。",
    ),
    ("subject_investor", INITIAL, T.SUBJECT_INVESTOR, "投资人或主管单位填写有误，请核对后填写。"),
    ("principal_name", INITIAL, T.SUBJECT_PRINCIPAL_NAME, "主体负责人姓名与证件不一致。"),
    ("principal_certificate", INITIAL, T.SUBJECT_PRINCIPAL_CERTIFICATE, "主体负责人证件号码有误，请按证件填写。"),
    (
        "principal_mobile",
        INITIAL,
        T.SUBJECT_PRINCIPAL_MOBILE,
        "主体负责人手机号码有误或非本人使用，请填写本人手机号码。",
    ),
    ("principal_office_phone", INITIAL, T.SUBJECT_PRINCIPAL_OFFICE_PHONE, "办公电话有误，请填写带区号的固定电话。"),
    ("principal_email", INITIAL, T.SUBJECT_PRINCIPAL_EMAIL, "主体负责人电子邮件地址有误。"),
    ("website_name", INITIAL, T.WEBSITE_NAME, "网站名称不符合要求，请按备案规则修改。"),
    ("website_homepage", INITIAL, T.WEBSITE_HOMEPAGE, "网站首页URL有误，应为本网站域名下的地址。"),
    ("website_content", INITIAL, T.WEBSITE_SERVICE_CONTENT, "网站服务内容与网站名称或实际内容不符。"),
    ("website_language", INITIAL, T.WEBSITE_LANGUAGES, "网站语言选择有误。"),
    ("website_domains", INITIAL, T.WEBSITE_DOMAINS, "域名信息有误：域名持有者须与主办单位一致，且已完成实名认证。"),
    ("website_principal_name", INITIAL, T.WEBSITE_PRINCIPAL_NAME, "网站负责人姓名与证件不一致。"),
    ("website_principal_mobile", INITIAL, T.WEBSITE_PRINCIPAL_MOBILE, "网站负责人手机号码有误或非本人使用。"),
    ("materials_unclear", INITIAL, T.MATERIALS, "上传的资料不清晰或不完整，请重新上传。"),
    (PHONE_UNREACHABLE_CODE, INITIAL, T.ORDER, "电话无法联系"),
    ("other", INITIAL, T.ORDER, "其他问题，请查看审核备注。"),
    ("photo_clothing", PHOTO, T.PHOTO, "请勿穿着红色或蓝色上衣拍照。"),
    ("photo_face", PHOTO, T.PHOTO, "面部不清晰，请正面免冠、露出五官拍摄。"),
    ("photo_backdrop", PHOTO, T.PHOTO, "幕布未完整露出，请确保幕布清晰可见。"),
    ("photo_person", PHOTO, T.PHOTO, "照片中的人与负责人不符。"),
    ("photo_edited", PHOTO, T.PHOTO, "照片模糊或经过处理，请重新拍摄原图上传。"),
)


def load() -> str:
    existing = set(RejectionReason.objects.values_list("code", flat=True))
    RejectionReason.objects.bulk_create(
        RejectionReason(code=code, stage=stage, target=target, message=message, position=position)
        for position, (code, stage, target, message) in enumerate(CATALOGUE)
        if code not in existing
    )
    ensure_interval(name="Release idle review claims", task="reviews.sweep_claims", every_seconds=300)
    ensure_interval(name="Alert supervisors about SLA breaches", task="reviews.alert_sla_breaches", every_seconds=600)
    return "rejection reasons, schedules"
