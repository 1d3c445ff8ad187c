from django.db import models
from django.utils.translation import gettext_lazy as _


class WebsiteLanguage(models.TextChoices):
    """网站语言 (RULES.md, Choices)."""

    SIMPLIFIED_CHINESE = "zh_hans", _("Simplified Chinese")
    TRADITIONAL_CHINESE = "zh_hant", _("Traditional Chinese")
    ENGLISH = "en", _("English")
    MONGOLIAN = "mn", _("Mongolian")
    TIBETAN = "bo", _("Tibetan")
    UYGHUR = "ug", _("Uyghur")
    ZHUANG = "za", _("Zhuang")
    KOREAN_CHOSON = "ko_cn", _("Korean (Chosŏn)")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    RUSSIAN = "ru", _("Russian")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    OTHER = "other", _("Other")


class PreApprovalType(models.TextChoices):
    """前置或专项审批内容类型: content that needs an approval document before filing."""

    NEWS = "news", _("News")
    PUBLISHING = "publishing", _("Publishing")
    EDUCATION = "education", _("Education")
    HEALTHCARE = "healthcare", _("Healthcare")
    DRUGS_AND_DEVICES = "drugs_devices", _("Drugs and medical devices")
    CULTURE = "culture", _("Culture")
    BROADCASTING = "broadcasting", _("Radio, film and television programmes")


class WordKind(models.TextChoices):
    """What a reserved word in a website name means (RULES.md, Validation)."""

    NATIONAL_PREFIX = "national_prefix", _("National prefix (only national bodies)")
    PERSONAL_BUSINESS = "personal_business", _("Company or industry word (not on personal websites)")
    PERSONAL_INTERACTIVE = "personal_interactive", _("Interactive service word (not on personal websites)")
    BANNED = "banned", _("Banned word")


class CloudRegion(models.TextChoices):
    """Where a (simulated) cloud instance runs. Only mainland regions can carry a filing."""

    BEIJING = "cn-beijing", _("China North 2 (Beijing)")
    ZHANGJIAKOU = "cn-zhangjiakou", _("China North 3 (Zhangjiakou)")
    HANGZHOU = "cn-hangzhou", _("China East 1 (Hangzhou)")
    SHANGHAI = "cn-shanghai", _("China East 2 (Shanghai)")
    SHENZHEN = "cn-shenzhen", _("China South 1 (Shenzhen)")
    GUANGZHOU = "cn-guangzhou", _("China South 3 (Guangzhou)")
    CHENGDU = "cn-chengdu", _("China Southwest 1 (Chengdu)")
    HONG_KONG = "cn-hongkong", _("China (Hong Kong)")
    SINGAPORE = "ap-southeast-1", _("Singapore")
    FRANKFURT = "eu-central-1", _("Germany (Frankfurt)")
    VIRGINIA = "us-east-1", _("US (Virginia)")


MAINLAND_CLOUD_REGIONS = frozenset(
    {
        CloudRegion.BEIJING,
        CloudRegion.ZHANGJIAKOU,
        CloudRegion.HANGZHOU,
        CloudRegion.SHANGHAI,
        CloudRegion.SHENZHEN,
        CloudRegion.GUANGZHOU,
        CloudRegion.CHENGDU,
    }
)

# The province (GB/T 2260 code) each mainland cloud region's data centres are in (ICP licence IP rules).
CLOUD_REGION_PROVINCE = {
    CloudRegion.BEIJING: "110000",
    CloudRegion.ZHANGJIAKOU: "130000",
    CloudRegion.HANGZHOU: "330000",
    CloudRegion.SHANGHAI: "310000",
    CloudRegion.SHENZHEN: "440000",
    CloudRegion.GUANGZHOU: "440000",
    CloudRegion.CHENGDU: "510000",
}


class Billing(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription (prepaid)")
    PAY_AS_YOU_GO = "pay_as_you_go", _("Pay-as-you-go")


class ServiceNumberStatus(models.TextChoices):
    """备案服务号: single use. unbound → bound → used; or invalid."""

    UNBOUND = "unbound", _("Not used")
    BOUND = "bound", _("In use by an order")
    USED = "used", _("Used")
    INVALID = "invalid", _("Invalid")


MAX_SERVICE_NUMBERS_PER_INSTANCE = 5
MIN_SUBSCRIPTION_MONTHS_LEFT = 3
