"""REQ-GEN-03: the glossary of the §1.3 terms is shown in the UI in both languages.

The expected terms and definitions are copied from the specification (§1.3), not read from
``huiyi.core.glossary``, so a term that goes missing or is mistranslated there fails here.
"""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# §1.3: (anchor key, Chinese term, English term, a fragment of the Chinese definition)
SPEC_TERMS = [
    ("meeting", "会议", "Meeting", "在规定的时间和地点聚集的集会"),
    ("service_quality", "服务质量", "Service quality", "会议提供的服务达到预定标准和要求的能力"),
    ("customer_satisfaction", "客户满意度", "Customer satisfaction", "客户对会议服务体验的满意程度"),
    ("time_management", "时间管理", "Time management", "确保会议按照既定的时间表进行"),
    ("technical_support", "技术支持", "Technical support", "为会议提供的任何技术相关支持服务"),
    (
        "supplier_management",
        "供应商管理",
        "Supplier management",
        "选择、评价、监控及管理提供会议服务的供应商",
    ),
    ("risk_management", "风险管理", "Risk management", "识别、评估并减低可能影响会议成功的风险"),
    ("compliance", "合规性", "Compliance", "符合相关法律、法规、行业标准和道德准则"),
    ("safety_management", "安全管理", "Safety management", "确保会议期间所有参与者的安全与健康"),
]

TERM_ROW = re.compile(
    r'<dt id="term-(?P<key>[a-z_]+)"[^>]*>\s*(?P<term>[^<]+?)\s*<span[^>]*>·\s*(?P<other>[^<]+?)\s*</span>'
)


def _terms(html: str) -> dict[str, tuple[str, str]]:
    """key → (term shown first, term shown beside it)."""
    return {m["key"]: (m["term"], m["other"]) for m in TERM_ROW.finditer(html)}


def test_REQ_GEN_03_glossary_lists_every_spec_term_chinese_first_by_default(client):
    """REQ-GEN-03: the default (Chinese) page lists the nine §1.3 terms, each with its English name."""
    response = client.get(reverse("core:glossary"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html.lower() and "术语表" in html
    shown = _terms(html)
    assert set(shown) == {key for key, *_ in SPEC_TERMS}
    for key, zh, en, zh_definition in SPEC_TERMS:
        assert shown[key][0] == zh, key
        assert shown[key][1].lower() == en.lower(), key
        assert zh_definition in html, key


def test_REQ_GEN_03_switching_to_english_shows_english_first_with_chinese_beside(client, make_user, org):
    """REQ-GEN-03: after the language switch the same terms come English first, Chinese beside them."""
    client.force_login(make_user("planner", org["north"]))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:glossary")).content.decode()
    assert '<html lang="en">' in html and ">Glossary<" in html
    shown = _terms(html)
    assert len(shown) == len(SPEC_TERMS)
    for key, zh, en, zh_definition in SPEC_TERMS:
        assert shown[key][0].lower() == en.lower(), key
        assert shown[key][1] == zh, key
        # the English definition comes first, the Chinese one is still on the page beneath it
        dd = html[html.index(f'id="term-{key}"') :].split("</dd>", 1)[0]
        assert zh_definition in dd and dd.index("<div") < dd.index(zh_definition), key


def test_REQ_GEN_03_glossary_is_linked_from_every_page(client, make_user, org):
    """REQ-GEN-03: the glossary is reachable from the UI (the page footer/navigation links to it)."""
    client.force_login(make_user("planner", org["north"]))
    html = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("core:glossary")}"' in html
