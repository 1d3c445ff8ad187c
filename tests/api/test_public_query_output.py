"""GET /api/v1/public/icp/ writes its answer without the output serializer (filings.api.public.public_query_output):
the same JSON as PublicQueryOutput, which remains the schema's."""

import json
from datetime import date

import pytest
from django.utils import translation

from filings.api.public import PublicQueryOutput, public_query_output
from filings.gateway import PublicRecord, PublicWebsite, get_gateway
from tests.miit import registry

pytestmark = pytest.mark.django_db

RECORDS = [
    PublicRecord(
        subject_name="北京公开查询科技有限公司",
        nature="enterprise",
        nature_label="企业",
        icp_number="京ICP备24000001号",
        filed_on=date(2024, 5, 6),
        websites=(
            PublicWebsite("测试网站", "京ICP备24000001号-1", ("a.cn", "例子.中国"), date(2024, 5, 7)),
            PublicWebsite("<第二个>", "京ICP备24000001号-2", (), None),
        ),
    ),
    PublicRecord(
        subject_name="个人",
        nature="individual",
        nature_label="",
        icp_number="京ICP备24000002号",
        filed_on=None,
        websites=(),
    ),
]


@pytest.mark.parametrize("records", [[], RECORDS[:1], RECORDS])
def test_the_answer_is_the_serializers(records):
    expected = PublicQueryOutput({"count": len(records), "results": records}).data
    assert json.dumps(public_query_output(records)) == json.dumps(expected)


def test_the_endpoint_answers_what_the_serializer_would(api):
    subject = registry.registry_subject(name="北京公开查询科技有限公司", websites=(("query-me.cn", False),))
    registry.registry_website(subject, "second-site.cn", ours=True, name="第二个网站")
    for params in ({"q": "query-me.cn"}, {"kind": "subject", "q": subject.name}, {"q": "nobody.cn"}):
        with translation.override("zh-hans"):  # the API's language when the request names none
            records = get_gateway().public_query(kind=params.get("kind", "domain"), q=params["q"])
        expected = json.loads(json.dumps(PublicQueryOutput({"count": len(records), "results": records}).data))
        assert api.get("/api/v1/public/icp/", params).json() == expected
