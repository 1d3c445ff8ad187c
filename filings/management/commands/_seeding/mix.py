"""What the seeded orders look like: weights of types, states, provinces and natures, the names and words they are
made of, and how long each step of an order takes. Change the mix here."""

from datetime import timedelta

from filings.constants import FINAL_STATES, ORDER_VALIDITY_DAYS, OrderStatus, OrderType
from subjects.constants import SubjectNature
from websites.constants import MAINLAND_CLOUD_REGIONS

S = OrderStatus
T = OrderType
VALIDITY = timedelta(days=ORDER_VALIDITY_DAYS)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)

# 2020 census, ten thousands: where subjects are registered.
PROVINCE_POPULATION = {
    "110000": 2189, "120000": 1387, "130000": 7461, "140000": 3492, "150000": 2405, "210000": 4259, "220000": 2407,
    "230000": 3185, "310000": 2487, "320000": 8475, "330000": 6457, "340000": 6103, "350000": 4154, "360000": 4519,
    "370000": 10153, "410000": 9937, "420000": 5775, "430000": 6644, "440000": 12601, "450000": 5013, "460000": 1008,
    "500000": 3205, "510000": 8367, "520000": 3856, "530000": 4721, "540000": 365, "610000": 3953, "620000": 2502,
    "630000": 592, "640000": 720, "650000": 2585,
}  # fmt: skip
ACQUISITION_TYPES = {T.FIRST_FILING: 82, T.TRANSFER_IN: 8, T.ADD_WEBSITE_NEW_USER: 4, T.CLAIM: 6}
FOLLOW_UP_TYPES = {
    T.ADD_WEBSITE: 58,
    T.CHANGE_WEBSITE: 14,
    T.CHANGE_SUBJECT: 8,
    T.CANCEL_WEBSITE: 8,
    T.CANCEL_ACCESS: 6,
    T.CANCEL_SUBJECT: 4,
    T.CONTINUE_TRANSFER_IN: 2,
}
# The state of a history's last order: in process for about one in seven histories (a growing provider's backlog).
IN_PROCESS_SHARE = 0.15
IN_PROCESS_STATES_MIX = {
    S.DRAFT: 22,
    S.PENDING_INITIAL_REVIEW: 20,
    S.INITIAL_REVIEW: 1,
    S.INITIAL_REJECTED: 8,
    S.PENDING_PHOTO: 10,
    S.PHOTO_REVIEW: 5,
    S.PENDING_MIIT_SUBMISSION: 3,
    S.SMS_VERIFICATION: 4,
    S.MIIT_REVIEW: 21,
    S.MIIT_RETURNED: 3,
    S.MIIT_REJECTED: 3,
}
FINAL_MIX = {S.APPROVED: 76, S.WITHDRAWN: 12, S.EXPIRED: 12}
NATURE_MIX = {
    SubjectNature.ENTERPRISE: 68,
    SubjectNature.INDIVIDUAL: 26,
    SubjectNature.PUBLIC_INSTITUTION: 2,
    SubjectNature.GOVERNMENT: 1,
    SubjectNature.SOCIAL_GROUP: 1,
    SubjectNature.PRIVATE_NON_ENTERPRISE: 1,
    SubjectNature.FOUNDATION: 0.5,
    SubjectNature.LAW_FIRM: 0.5,
}
# USCC prefixes by the registering authority and kind (GB 32100).
USCC_PREFIX = {
    SubjectNature.ENTERPRISE: "91",
    SubjectNature.GOVERNMENT: "11",
    SubjectNature.PUBLIC_INSTITUTION: "12",
    SubjectNature.SOCIAL_GROUP: "51",
    SubjectNature.PRIVATE_NON_ENTERPRISE: "52",
    SubjectNature.FOUNDATION: "53",
    SubjectNature.LAW_FIRM: "31",
}
WEBSITES_PER_ORDER = {1: 75, 2: 20, 3: 5}
DOMAINS_PER_WEBSITE = {1: 70, 2: 22, 3: 8}
SUFFIXES = {"com": 44, "cn": 30, "com.cn": 10, "net": 8, "org.cn": 3, "top": 3, "中国": 2}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚玉萍红玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣佳怡梓涵轩晨曦瑶婷"
BRANDS = [
    ("星辰", "xingchen"), ("华信", "huaxin"), ("云帆", "yunfan"), ("智联", "zhilian"), ("博远", "boyuan"),
    ("鼎盛", "dingsheng"), ("恒通", "hengtong"), ("天行", "tianxing"), ("启明", "qiming"), ("睿思", "ruisi"),
    ("蓝海", "lanhai"), ("新锐", "xinrui"), ("汇丰", "huifeng"), ("金桥", "jinqiao"), ("永泰", "yongtai"),
    ("安信", "anxin"), ("泰和", "taihe"), ("宏图", "hongtu"), ("瑞祥", "ruixiang"), ("佳禾", "jiahe"),
]  # fmt: skip
INDUSTRIES = ["科技", "信息技术", "网络科技", "文化传媒", "电子商务", "软件", "教育科技", "贸易", "咨询", "设计"]
SITE_KINDS = ["官网", "商城", "技术博客", "帮助中心", "开发者文档", "资讯", "社区"]
STREETS = ["中山路", "人民路", "解放路", "建设路", "和平路", "科技园路", "创业大道", "文化路", "滨江大道", "长江路"]
REMARKS = {
    "reject_initial_review": [
        ("subject.name", "主办单位名称与证件不一致"),
        ("websites.0.name", "网站名称不符合要求"),
        ("", "证件照片不清晰"),
        ("subject.mailing_address", "通信地址需详细到门牌号"),
    ],
    "reject_photo_review": [("", "幕布不完整"), ("", "照片背景不符合要求")],
    "reject_by_administration": [("websites.0.name", "网站名称涉及前置审批内容"), ("", "主体负责人信息核验失败")],
    "fail_sms_verification": [("", "短信核验超时")],
}

# Seconds from the previous event to one of these moves: (at least, at most).
STEP_SECONDS = {
    "submit": (600, 5 * 86400),
    "resubmit": (3600, 5 * 86400),
    "start_initial_review": (300, 20 * 3600),
    "pass_initial_review": (180, 3600),
    "reject_initial_review": (180, 3600),
    "submit_photos": (3600, 7 * 86400),
    "pass_photo_review": (600, 20 * 3600),
    "reject_photo_review": (600, 20 * 3600),
    "forward_to_administration": (600, 20 * 3600),
    "complete_sms_verification": (300, 23 * 3600),
    "fail_sms_verification": (86400, 86400),
    "resubmit_unchanged": (3600, 3 * 86400),
    "approve": (3 * 86400, 20 * 86400),
    "reject_by_administration": (3 * 86400, 20 * 86400),
    "withdraw": (3600, 10 * 86400),
}
# How long ago an order in process entered its state: (at least, at most), seconds.
SINCE_ENTRY = {
    S.PENDING_INITIAL_REVIEW: (0, 40 * 3600),  # some past the one working day
    S.INITIAL_REVIEW: (0, 90 * 60),
    S.PHOTO_REVIEW: (0, 30 * 3600),
    S.PENDING_MIIT_SUBMISSION: (0, 30 * 3600),
    S.SMS_VERIFICATION: (0, 23 * 3600),
    S.MIIT_REVIEW: (0, 20 * 86400),
}
APPLICANT_ACTIONS = {"create", "submit", "resubmit", "resubmit_unchanged", "submit_photos", "withdraw"}
REVIEWER_ACTIONS = {
    "start_initial_review",
    "pass_initial_review",
    "reject_initial_review",
    "pass_photo_review",
    "reject_photo_review",
    "forward_to_administration",
}
EXPIRE_REASON = "The 45-day validity ran out."
HELD_PER_REVIEWER = 2  # orders a seeded reviewer holds (the limit is reviews' MAX_CLAIMS)
SMS_STATES = frozenset({S.SMS_VERIFICATION, S.MIIT_RETURNED})
# Off the happy path: the state before, and the move that leaves the path.
DETOURS = {
    S.INITIAL_REJECTED: (S.INITIAL_REVIEW, "reject_initial_review"),
    S.MIIT_RETURNED: (S.SMS_VERIFICATION, "fail_sms_verification"),
    S.MIIT_REJECTED: (S.MIIT_REVIEW, "reject_by_administration"),
}
WITHDRAWN_FROM = (S.DRAFT, S.PENDING_INITIAL_REVIEW, S.INITIAL_REJECTED, S.PENDING_PHOTO, S.MIIT_REJECTED)
EXPIRED_FROM = (S.DRAFT, S.DRAFT, S.DRAFT, S.INITIAL_REJECTED, S.PENDING_PHOTO, S.MIIT_REJECTED)
CLAIM_STATES = frozenset({S.DRAFT, S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW, S.INITIAL_REJECTED}) | FINAL_STATES
SUBMITS = frozenset({"submit", "resubmit", "resubmit_unchanged"})
QUEUE_ENTRIES = frozenset({S.PENDING_INITIAL_REVIEW, S.PHOTO_REVIEW, S.PENDING_MIIT_SUBMISSION})
CLOUD_REGIONS = sorted(MAINLAND_CLOUD_REGIONS)
