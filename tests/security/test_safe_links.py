"""Links typed into records cannot send a reader off-site or run script (issue 10).

A performance review's accountability record (REQ-QLT-08) holds a path of this site, a web address or a plain
reference. A protocol-relative ``//host/path`` (and ``/\\host``, which a browser reads alike) and
``javascript:``/``vbscript:``/``data:`` links are refused at input — the review form, the inline "Link" form
and the service both go through — with a translated message; and the review page makes a link only of a
path of this site or an address on HUIYI_BASE_URL's host, so a value written any other way is shown as text.
(No API endpoint writes reviews: the service is the only way in.)
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from huiyi.core.safe_urls import link_problem, local_href
from huiyi.people import forms, services
from huiyi.people.models import PerformanceReview

OFF_SITE = [
    "//evil.example/x",
    "  //evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "\\/evil.example/x",
    "/\t/evil.example/x",
    "\x01//evil.example/x",
]
SCRIPT = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " \njavascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
]
ACCEPTED = [
    "/accountability/12/",
    "https://huiyi.example.com/accountability/12/",
    "违纪 2026-03",
    "Case: 12",
    "",
]


@pytest.fixture
def base_url(settings):
    settings.HUIYI_BASE_URL = "https://huiyi.example.com"


@pytest.mark.parametrize("value", OFF_SITE + SCRIPT)
def test_issue_10_protocol_relative_and_script_links_are_refused(value):
    assert link_problem(value)


@pytest.mark.parametrize("value", ACCEPTED)
def test_issue_10_paths_addresses_and_references_are_accepted(value, base_url):
    assert link_problem(value) is None


@pytest.mark.parametrize(
    "value, href",
    [
        ("/accountability/12/", "/accountability/12/"),
        ("https://huiyi.example.com/accountability/12/", "https://huiyi.example.com/accountability/12/"),
        ("https://evil.example/accountability/12/", ""),  # an outside address is shown as text
        ("违纪 2026-03", ""),
        ("accountability/12/", ""),
        ("Case: 12", ""),
        *[(value, "") for value in OFF_SITE + SCRIPT],
    ],
)
def test_issue_10_only_pages_of_this_site_become_links(value, href, base_url):
    assert local_href(value) == href


@pytest.mark.parametrize(
    "language, text",
    [("zh-hans", "会跳转到其他网站"), ("en", "leads to another site")],
)
def test_issue_10_review_form_refuses_a_protocol_relative_link_in_both_languages(language, text):
    with translation.override(language):
        form = forms.ReviewForm(
            {
                "period_start": "2026-07-01",
                "period_end": "2026-09-30",
                "accountability_link": "//evil.example/x",
            }
        )
        assert not form.is_valid()
        assert text in " ".join(form.errors["accountability_link"])
    with translation.override("zh-hans"):
        form = forms.ReviewForm(
            {
                "period_start": "2026-07-01",
                "period_end": "2026-09-30",
                "accountability_link": "javascript:x()",
            }
        )
        assert not form.is_valid()
        assert "“javascript:”链接可能执行代码" in " ".join(form.errors["accountability_link"])


@pytest.fixture
def people(make_user, org):
    return {
        "hr": make_user("hr", org["company"], username="hr"),
        "planner": make_user("planner", org["north_events"], username="planner"),
    }


@pytest.fixture
def review(people):
    return services.save_review(
        people["planner"], by=people["hr"], period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", OFF_SITE + SCRIPT)
def test_issue_10_service_refuses_unsafe_accountability_links(review, people, value):
    with pytest.raises(ValidationError) as refused:
        services.link_accountability(review, by=people["hr"], link=value)
    assert "accountability_link" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.save_review(
            people["planner"],
            by=people["hr"],
            review=review,
            period_start=dt.date(2026, 7, 1),
            period_end=dt.date(2026, 9, 30),
            accountability_link=value,
        )
    review.refresh_from_db()
    assert review.accountability_link == ""


@pytest.mark.django_db
def test_issue_10_pages_refuse_unsafe_links_with_a_message(review, people):
    client = Client()
    client.force_login(people["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    answer = client.post(
        reverse("people:review_link", args=[review.pk]), {"accountability_link": "//evil.example/x"}
    )
    assert answer.status_code == 302
    assert any("会跳转到其他网站" in str(m) for m in get_messages(answer.wsgi_request))
    page = client.post(
        reverse("people:review_edit", args=[review.pk]),
        {
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "accountability_link": "JavaScript:alert(1)",
            "save": "1",
        },
    )
    assert page.status_code == 200 and "链接可能执行代码" in page.content.decode()
    review.refresh_from_db()
    assert review.accountability_link == ""

    fine = client.post(
        reverse("people:review_link", args=[review.pk]), {"accountability_link": "/accountability/12/"}
    )
    assert fine.status_code == 302
    review.refresh_from_db()
    assert review.accountability_link == "/accountability/12/"


HREF = re.compile(r'href="([^"]*)"')


@pytest.mark.django_db
@pytest.mark.parametrize("value", [*OFF_SITE, *SCRIPT, "https://evil.example/x"])
def test_issue_10_review_page_never_links_off_site_or_to_script(review, people, value, base_url):
    """A value written before the check, or by any other route than the service, is shown as text."""
    PerformanceReview.objects.filter(pk=review.pk).update(accountability_link=value)
    client = Client()
    client.force_login(people["hr"])
    body = client.get(reverse("people:review", args=[review.pk])).content.decode()
    card = body[body.index('id="accountability"') :]
    card = card[: card.index("</form>")]
    hrefs = [unescape(h) for h in HREF.findall(card)]
    assert not [h for h in hrefs if "evil.example" in h or ":" in h.split("/")[0]], hrefs


@pytest.mark.django_db
def test_issue_10_review_page_links_a_page_of_this_site(review, people):
    services.link_accountability(review, by=people["hr"], link="/accountability/12/")
    client = Client()
    client.force_login(people["hr"])
    body = client.get(reverse("people:review", args=[review.pk])).content.decode()
    assert '<a href="/accountability/12/">/accountability/12/</a>' in body
