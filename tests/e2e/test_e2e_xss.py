"""Stored XSS in a real browser (issue 10): payloads that call alert() are stored in the fields the main pages
show — project and client names, complaint text, a survey's question and comments, an incident's place and
impact, a document title, attendee names — and Chromium opens those pages (and hovers the charts that show
names in tooltips). No dialog may open: a payload that ran would call alert(). And the console must show no
Content-Security-Policy refusal either: a payload that reached the page as markup (escaping failed) is
refused by the CSP, and Chromium reports it there.

Second line of defence: the Content-Security-Policy. Markup injected into a live page (as a hole in the
escaping would do) with an inline handler or an inline <script> does not run, and the browser reports the
violation. And the filters that used to submit through an inline onchange= work under that CSP.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "<script>alert(3)</script>",
    "</textarea><script>alert(4)</script>",
    "'><img src=x onerror=alert(5)>",
    "{{7*7}}<details open ontoggle=alert(6)>",
]


def text(n: int, prefix: str = "") -> str:
    return f"{prefix}{PAYLOADS[n % len(PAYLOADS)]}"


def sign_in(page, username):
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("h1")


@pytest.fixture
def dialogs(page):
    """Every alert/confirm/prompt the page opens (dismissed at once, so that nothing blocks)."""
    opened = []

    def on_dialog(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


@pytest.fixture
def poisoned(make_user, make_project, org, settings, tmp_path):
    """One meeting whose texts are all payloads, with a complaint, an incident, a document, attendees and a
    closed survey with a hostile question and comment."""
    from huiyi.clients.models import Client
    from huiyi.documents import services as documents
    from huiyi.feedback.complaints import services as complaints
    from huiyi.feedback.surveys import services as surveys
    from huiyi.feedback.surveys.models import Audience, QuestionKind
    from huiyi.incidents import services as incidents
    from huiyi.onsite.attendees.models import Attendee, Ticket

    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm", display_name=text(0))
    am = make_user("account_manager", unit, username="am", display_name=text(1))
    onsite = make_user("on_site_director", unit, username="onsite", display_name=text(2))
    client = Client.objects.create(
        name=text(3, "客户"),
        name_en=text(4, "Client "),
        kind="enterprise",
        org_unit=org["north"],
        notes=text(5),
    )
    project = make_project(
        unit,
        name=text(0, "会议"),
        name_en=text(1, "Meeting "),
        client=client,
        venue_name=text(2),
        address=text(3),
        start_in_days=-1,
        phase=4,
        members=[(pm, "project_manager"), (am, "account_manager"), (onsite, "on_site_director")],
    )
    project.end = timezone.now() - timedelta(hours=2)
    project.start = project.end - timedelta(hours=6)
    project.save(update_fields=["start", "end"])
    for n in range(4):
        attendee = Attendee.objects.create(
            project=project,
            external_key=f"k{n}",
            name=text(n),
            organisation=text(n + 1),
            title=text(n + 2)[:120],
            seat=f"A{n}",
            dietary=text(n + 3),
        )
        Ticket.objects.create(attendee=attendee, project=project)
    complaint = complaints.create_complaint(
        project,
        channel="phone",
        severity="serious",
        by=am,
        complainant_name=text(4),
        complainant_contact="13800000001",
        content=text(5, "大巴迟到 "),
    )
    incident = incidents.report_incident(
        project, by=onsite, type="other", place=text(0), impact=text(1, "有人晕倒 ")
    )
    document = documents.create_document(
        project=project,
        doc_type="agenda",
        title=text(2, "议程 "),
        by=pm,
        upload=SimpleUploadedFile("agenda.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        change_note=text(3),
    )
    template = surveys.default_template(Audience.ATTENDEES)
    survey = surveys.create_survey(
        project,
        by=pm,
        template=template,
        opens_at=project.end - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=2),
    )
    scale = list(survey.template.questions.filter(kind=QuestionKind.SCALE).order_by("position"))
    scale[0].text = text(0)  # the question is a chart's axis label and tooltip
    scale[0].save(update_fields=["text"])
    comment = survey.template.questions.get(kind=QuestionKind.TEXT)
    for value in (3, 4, 5):
        surveys.submit(survey, {**{q.pk: value for q in scale}, comment.pk: text(value)})
    return {
        "project": project,
        "client": client,
        "complaint": complaint,
        "incident": incident,
        "document": document,
        "survey": survey,
    }


def visit(page, url: str, name: str):
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let deferred scripts and charts run
    screenshot(page, f"xss-{name}")


def hover_charts(page):
    """Move over every chart: ECharts writes category names (question texts, project names) into tooltips."""
    for chart in page.locator("canvas").all()[:4]:
        box = chart.bounding_box()
        if not box:
            continue
        for fraction in (0.2, 0.4, 0.6, 0.8):
            page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.5)
            page.wait_for_timeout(150)


def test_issue_10_payloads_stay_inert_on_the_main_pages(page, dialogs, poisoned):
    project = poisoned["project"]
    sign_in(page, "pm")
    pages = {
        "dashboard": reverse("core:dashboard"),
        "projects": reverse("projects:list"),
        "project": reverse("projects:detail", args=[project.pk]),
        "clients": reverse("clients:list"),
        "client": reverse("clients:detail", args=[poisoned["client"].pk]),
        "attendees": reverse("attendees:list", args=[project.pk]),
        "incidents": reverse("incidents:project", args=[project.pk]),
        "incident": reverse("incidents:detail", args=[poisoned["incident"].pk]),
        "documents": reverse("documents:project", args=[project.pk]),
        "document": reverse("documents:detail", args=[poisoned["document"].pk]),
        "survey-results": reverse("surveys:results", args=[poisoned["survey"].pk]),
        "search": reverse("docsearch:search") + "?q=议程",
    }
    for name, url in pages.items():
        visit(page, url, name)
        if name == "survey-results":
            hover_charts(page)
    assert page.locator("body").inner_text()  # pages rendered
    visit(page, reverse("projects:detail", args=[project.pk]), "project-again")
    assert "<img src=x onerror=alert(1)>" in page.locator("body").inner_text()  # shown as text

    page.context.clear_cookies()
    sign_in(page, "am")
    for name, url in {
        "complaints": reverse("complaints:list"),
        "complaint": reverse("complaints:detail", args=[poisoned["complaint"].pk]),
    }.items():
        visit(page, url, name)
    assert "<script>alert(" in page.locator("body").inner_text()
    assert dialogs == [], f"a stored payload ran: {dialogs}"
    # A payload that reached the page as markup is refused by the CSP, and Chromium says so on the console:
    # the escaping failed even though nothing ran.
    refused = [message for message in page.console_errors if "Content Security Policy" in message]
    assert not refused, refused


def test_issue_10_the_csp_stops_injected_inline_script(page, dialogs, poisoned):
    """If escaping ever failed, the policy still holds: an inline handler and an inline <script> put into the
    page do not run, and Chromium reports both violations."""
    sign_in(page, "pm")
    page.goto(reverse("projects:detail", args=[poisoned["project"].pk]))
    page.evaluate(
        """() => {
            window.__violations = [];
            document.addEventListener(
                "securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective)
            );
            const holder = document.createElement("div");
            holder.innerHTML = '<img src="data:," onerror="window.__ranHandler = true; alert(11)">';
            document.body.appendChild(holder);
            const script = document.createElement("script");
            script.textContent = "window.__ranScript = true; alert(12)";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("window.__violations.length >= 2", timeout=10_000)
    ran = page.evaluate("() => [window.__ranHandler === true, window.__ranScript === true]")
    assert ran == [False, False]
    violated = page.evaluate("() => window.__violations")
    assert all(v.startswith("script-src") for v in violated), violated
    assert dialogs == []


def test_issue_10_filters_submit_without_inline_handlers(page, make_user, org):
    """The audit and violation lists' status filter (once an inline onchange=, which the CSP blocks) submits
    through app.js."""
    make_user("quality_officer", org["company"], username="officer")
    sign_in(page, "officer")
    page.goto(reverse("audits:list"))
    select = page.locator("select[data-autosubmit]").first
    value = select.locator("option").nth(1).get_attribute("value")
    with page.expect_navigation():
        select.select_option(value)
    assert f"status={value}" in page.url
    assert page.console_errors == []
