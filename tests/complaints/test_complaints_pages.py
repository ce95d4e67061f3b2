"""REQ-FBK-06 pages: the public form (no account, CSRF, honeypot, rate limit, escaping, acknowledgement with
the reference), staff entry, the complaint page's actions, lists with masked personal data, permissions."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huiyi.feedback.complaints import services
from huiyi.feedback.complaints.models import Complaint
from huiyi.feedback.complaints.views import PUBLIC_RATE

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script><b>粗体</b>"


def _login(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def public_url(team):
    _link, token = services.issue_public_link(team["project"], by=team["pm"], days=30)
    return reverse("complaints:public", args=[token])


def _form(**extra):
    data = {
        "complainant_name": "王女士",
        "complainant_contact": "13800000001",
        "severity": "normal",
        "content": "签到处排队太久",
        "website": "",
    }
    data.update(extra)
    return data


def test_req_fbk_06_public_form_records_and_acknowledges_with_a_reference(team, public_url):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.get(public_url).status_code == 200
    response = client.post(public_url, _form(), follow=True)
    complaint = Complaint.objects.get()
    assert complaint.source == "public" and complaint.channel == "web_form" and complaint.created_by is None
    assert complaint.reference in response.content.decode()
    assert "已收到" in response.content.decode()


def test_req_fbk_06_public_form_needs_the_csrf_token(team, public_url):
    client = Client(enforce_csrf_checks=True)
    assert client.post(public_url, _form()).status_code == 403
    assert not Complaint.objects.exists()


def test_req_fbk_06_public_form_honeypot_refuses_bots(team, public_url):
    response = Client().post(public_url, _form(website="http://spam.example"))
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_req_fbk_06_public_form_flood_is_rate_limited(team, public_url):
    client = Client()
    statuses = [
        client.post(public_url, _form(content=f"第{i}次")).status_code for i in range(PUBLIC_RATE + 2)
    ]
    assert statuses[:PUBLIC_RATE] == [302] * PUBLIC_RATE and statuses[PUBLIC_RATE:] == [429, 429]
    assert Complaint.objects.count() == PUBLIC_RATE


def test_req_fbk_06_public_form_refuses_bad_input_by_field(team, public_url):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(public_url, _form(content="", complainant_contact=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-error-for="content"' in body and 'data-error-for="complainant_contact"' in body
    assert not Complaint.objects.exists()


def test_req_fbk_06_withdrawn_or_unknown_link_is_refused(team, public_url):
    from huiyi.core import links

    links.revoke(services.public_links(team["project"]).get())
    assert Client().get(public_url).status_code == 410
    assert Client().post(public_url, _form()).status_code == 410
    assert Client().get(reverse("complaints:public", args=["nope"])).status_code == 410
    assert not Complaint.objects.exists()


def test_req_fbk_06_html_in_a_complaint_is_shown_as_text_everywhere(team, public_url):
    Client().post(public_url, _form(content=SCRIPT, complainant_name="<i>Eve</i>"))
    complaint = Complaint.objects.get()
    client = _login(team["pm"])
    for url in (
        reverse("complaints:detail", args=[complaint.pk]),
        reverse("complaints:list"),
        reverse("projects:detail", args=[team["project"].pk]),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<b>粗体" not in body, url
        assert "&lt;script&gt;" in body, url
    api = client.get(reverse("api:complaint-detail", args=[complaint.pk])).json()
    assert api["content"] == SCRIPT  # data as given; JSON is not HTML


def test_req_fbk_06_lists_mask_personal_data_the_page_shows_it(team):
    complaint = services.create_complaint(
        team["project"],
        channel="phone",
        content="噪音",
        severity="normal",
        by=team["am"],
        complainant_name="张三丰",
        complainant_contact="13812345678",
    )
    client = _login(team["pm"])
    listing = client.get(reverse("complaints:list")).content.decode()
    assert "张三丰" not in listing and "13812345678" not in listing and "138****5678" in listing
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "张三丰" in page and "13812345678" in page


def test_req_fbk_06_staff_entry_form_and_page_actions(team):
    client = _login(team["am"])
    url = reverse("complaints:new", args=[team["project"].pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "channel": "phone",
            "severity": "minor",
            "content": "",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert bad.status_code == 400 and not Complaint.objects.exists()
    response = client.post(
        url,
        {
            "channel": "phone",
            "severity": "serious",
            "content": "嘉宾接送车辆迟到",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.severity == "serious" and complaint.source == "staff"
    detail = reverse("complaints:detail", args=[complaint.pk])
    client.post(reverse("complaints:acknowledge", args=[complaint.pk]), {"note": "已回电"})
    client.post(reverse("complaints:pause", args=[complaint.pk]), {"reason": "等客户确认时间"})
    complaint.refresh_from_db()
    assert complaint.status == "waiting"
    client.post(reverse("complaints:resume", args=[complaint.pk]), {"note": "客户已回复"})
    client.post(reverse("complaints:resolve", args=[complaint.pk]), {"resolution": "调整车队并致歉"})
    client.post(
        reverse("complaints:close", args=[complaint.pk]),
        {
            "confirmed_by_name": "刘洋",
            "confirmation_method": "phone",
            "confirmed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    client.post(reverse("complaints:raise_nc", args=[complaint.pk]))
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.nonconformance is not None
    page = client.get(detail).content.decode()
    assert complaint.nonconformance.code in page and "刘洋" in page


def test_req_fbk_06_permissions(team, make_user, org):
    complaint = services.create_complaint(
        team["project"], channel="phone", content="x", severity="normal", by=team["am"]
    )
    detail = reverse("complaints:detail", args=[complaint.pk])
    outsider = make_user("project_manager", org["south_events"], username="outsider")
    assert _login(outsider).get(detail).status_code == 404
    tech = make_user("technical_support", org["north_events"], username="tech")
    assert _login(tech).get(reverse("complaints:list")).status_code == 403
    reception = _login(team["rec"])  # reception takes complaints but does not close them
    assert reception.get(reverse("complaints:new", args=[team["project"].pk])).status_code == 200
    services.resolve(complaint, by=team["am"], resolution="已处理")
    reception.post(reverse("complaints:close", args=[complaint.pk]), {"no_confirmation_reason": "x"})
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert reception.post(reverse("complaints:close", args=[complaint.pk]), {}).status_code == 403
    assert reception.get(reverse("complaints:links", args=[team["project"].pk])).status_code == 403
    assert _login(team["pm"]).get(reverse("complaints:links", args=[team["project"].pk])).status_code == 200


def test_req_fbk_06_complaint_list_pages_through_every_complaint_keeping_the_filters(team, monkeypatch):
    from huiyi.feedback.complaints import views

    monkeypatch.setattr(views, "LIST_PAGE", 3)
    made = [
        services.create_complaint(
            team["project"], channel="phone", content=f"第{n}件", severity="normal", by=team["am"]
        )
        for n in range(7)
    ]
    client = _login(team["pm"])
    seen = []
    for number in (1, 2, 3):
        body = client.get(reverse("complaints:list"), {"severity": "normal", "page": number}).content.decode()
        seen += [c.pk for c in made if f'data-complaint="{c.pk}"' in body]
        if number < 3:
            assert f"severity=normal&page={number + 1}" in body  # the filter travels with the pager
    assert sorted(seen) == sorted(c.pk for c in made) and len(seen) == 7  # each once, none lost
    assert "Complaints 7–7 of 7" in body
    out_of_range = client.get(reverse("complaints:list"), {"page": "99"})
    assert out_of_range.status_code == 200  # the last page, not an error
    garbage = client.get(reverse("complaints:list"), {"page": "<b>"})
    assert garbage.status_code == 200
