"""Notification channels (issue 6, REQ-ONS-09 "sent to every staff member's phone"): in-app, e-mail and signed
webhooks, sent in the background with retries; a channel that is down never blocks the caller and its failure
is visible. The webhook is a local HTTP server on 127.0.0.1: nothing leaves the machine."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from huiyi.core import channels
from huiyi.core.models import ChannelConfig, Delivery, Notification
from huiyi.core.notifications import notify

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-tests"


class Hook:
    """A webhook receiver: answers the queued statuses in turn (200 once they run out), may be slow."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.delay = 0.0
        self.body = b'{"ok": true}'


@pytest.fixture
def hook():
    state = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            state.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if state.delay:
                time.sleep(state.delay)
            code = state.answers.pop(0) if state.answers else 200
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(state.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def user(make_user, org):
    return make_user("on_site_director", org["north"], email="zhao@example.com", phone="13800000001")


def webhook(url, **fields) -> ChannelConfig:
    values = {"name": "企业微信网关", "url": url, "secret": SECRET, "timeout_seconds": 2}
    values.update(fields)
    return ChannelConfig.objects.create(**values)


def test_req_ons_09_webhook_receives_a_signed_notification(hook, user, django_capture_on_commit_callbacks):
    config = webhook(hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(
            user, "设备故障：主会场投影", body="请现场总控 5 分钟内排查", url="/incidents/1/", kind="incident"
        )
    assert len(hook.requests) == 1
    request = hook.requests[0]
    body = request["body"]
    data = json.loads(body)
    assert data["title"] == "设备故障：主会场投影" and data["kind"] == "incident"
    assert data["url"].endswith("/incidents/1/") and data["url"].startswith("http")
    assert data["recipient"]["phone"] == "13800000001"
    timestamp = request["headers"]["X-Huiyi-Timestamp"]
    expected = (
        "sha256=" + hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    )
    assert hmac.compare_digest(request["headers"]["X-Huiyi-Signature"], expected)
    assert request["headers"]["X-Huiyi-Signature"] != channels.signature("wrong", timestamp, body)
    by_channel = {d.channel: d for d in notice.deliveries.all()}
    assert set(by_channel) == {"inapp", "email", config.channel_key}
    assert all(d.status == Delivery.Status.SENT for d in by_channel.values())
    assert by_channel[config.channel_key].attempts == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhao@example.com"]


def test_webhook_500_is_retried_with_backoff_then_succeeds(hook, user, django_capture_on_commit_callbacks):
    config = webhook(hook.url)
    hook.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(user, "人员冲突", kind="incident", email=False)
    delivery = notice.deliveries.get(channel=config.channel_key)
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1 and "500" in delivery.last_error
    assert delivery.next_attempt_at > delivery.updated_at
    # not due yet: the sweep leaves it alone
    assert channels.deliver_due(now=delivery.next_attempt_at - timedelta(seconds=1)) == 0
    assert channels.deliver_due(now=delivery.next_attempt_at + timedelta(seconds=1)) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 2 and delivery.last_error == ""
    assert len(hook.requests) == 2


def test_webhook_timeout_fails_after_the_last_attempt_and_is_shown_and_retried(
    hook, user, make_user, org, client, settings, django_capture_on_commit_callbacks
):
    settings.HUIYI_DELIVERY_BACKOFF = [60]
    config = webhook(hook.url, timeout_seconds=1)
    hook.delay = 1.6
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = notify(user, "火警", kind="incident", email=False)
    assert time.monotonic() - started < 1  # notify never waits for the channel (it runs on commit)
    for callback in callbacks:
        callback()
    delivery = notice.deliveries.get(channel=config.channel_key)
    assert delivery.status == Delivery.Status.PENDING and "1 s" in delivery.last_error
    channels.deliver_due(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 2

    officer = make_user("quality_officer", org["company"])
    client.force_login(officer)
    page = client.get(reverse("preparedness:channels")).content.decode()
    assert f'data-delivery="{delivery.pk}"' in page and "火警" in page
    hook.delay = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("preparedness:delivery_retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 3


def test_a_channel_that_is_down_does_not_block_or_break_notify(user, django_capture_on_commit_callbacks):
    config = webhook("http://127.0.0.1:9/unreachable")  # the discard port: nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(user, "天气预警", kind="incident", email=False)
    assert notice is not None and Notification.objects.filter(pk=notice.pk).exists()
    delivery = notice.deliveries.get(channel=config.channel_key)
    assert delivery.status == Delivery.Status.PENDING and delivery.last_error


def test_kinds_and_active_choose_the_webhooks(hook, user, django_capture_on_commit_callbacks):
    webhook(hook.url, name="只收突发事件", kinds=["incident"])
    webhook(hook.url, name="停用的网关", active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(user, "任务即将到期", kind="task", email=False)
    assert [d.channel for d in notice.deliveries.all()] == ["inapp"]
    assert hook.requests == []


def test_deduplicated_notify_returns_none_and_sends_nothing(hook, user, django_capture_on_commit_callbacks):
    webhook(hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(user, "一次", kind="incident", dedupe_key="k-1", email=False) is not None
        assert notify(user, "一次", kind="incident", dedupe_key="k-1", email=False) is None
    assert Delivery.objects.count() == 2 and len(hook.requests) == 1


def test_wecom_and_dingtalk_formats(hook, user, django_capture_on_commit_callbacks):
    wecom = webhook(hook.url + "?key=abc", name="企业微信", payload_format="wecom", secret="")
    dingtalk = webhook(hook.url + "?access_token=t", name="钉钉", payload_format="dingtalk")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, "应急联系方式", body="现场总控 赵 138", kind="emergency_contacts", email=False)
    by_path = {urlsplit(r["path"]).query: r for r in hook.requests}
    wecom_request = next(r for q, r in by_path.items() if "key=abc" in q)
    content = json.loads(wecom_request["body"])
    assert content["msgtype"] == "text" and "应急联系方式" in content["text"]["content"]
    assert content["text"]["mentioned_mobile_list"] == ["13800000001"]
    ding_request = next(r for q, r in by_path.items() if "access_token" in q)
    query = parse_qs(urlsplit(ding_request["path"]).query)
    millis = query["timestamp"][0]
    import base64

    digest = hmac.new(SECRET.encode(), f"{millis}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert query["sign"][0] == base64.b64encode(digest).decode()
    assert Delivery.objects.filter(config__in=[wecom, dingtalk], status="sent").count() == 2


def test_a_robot_that_answers_an_error_code_is_a_failure(hook, user, django_capture_on_commit_callbacks):
    hook.body = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    config = webhook(hook.url, payload_format="wecom")
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(user, "测试", kind="incident", email=False)
    delivery = notice.deliveries.get(channel=config.channel_key)
    assert delivery.status == Delivery.Status.PENDING and "93000" in delivery.last_error


def test_only_a_failed_delivery_can_be_retried(user):
    notice = notify(user, "x", email=False)
    delivery = notice.deliveries.get()
    with pytest.raises(ValidationError) as error:
        channels.retry(delivery)
    assert "status" in error.value.message_dict
