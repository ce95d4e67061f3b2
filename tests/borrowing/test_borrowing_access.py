"""REQ-DOC-05 with REQ-DOC-07/09: an approved electronic borrowing lets its borrower alone read that one
document, only inside the approved window; very-high documents need the borrower's signed agreement and
every read is logged; a download link of one user does not work for another."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from huiyi.documents import services as documents
from huiyi.documents.borrowing import services
from huiyi.documents.models import AccessLog, ConfidentialityAgreement
from huiyi.documents.rules import can_read

from .conftest import PDF, later


def approved(lib, doc="agenda", who="finance", start=None, days=2):
    b = services.request_borrowing(
        lib[doc], by=lib[who], medium="electronic", purpose="审阅", starts_at=start, due_at=later(days)
    )
    return services.approve(b, by=lib["pm"])


def test_req_doc_05_electronic_access_only_within_the_window(lib):
    finance, agenda = lib["finance"], lib["agenda"]
    assert not can_read(finance, agenda)  # a high document of a team finance is not on
    b = services.request_borrowing(
        agenda, by=finance, medium="electronic", purpose="审阅", starts_at=later(1), due_at=later(3)
    )
    assert not can_read(finance, agenda)  # requested: nothing yet
    services.approve(b, by=lib["pm"])
    assert not can_read(finance, agenda)  # approved, but the window has not opened
    from huiyi.documents.borrowing.queries import grants_read

    assert grants_read(finance, agenda, now=later(1, hours=1))
    assert not grants_read(finance, agenda, now=later(3))  # ends by itself at the due time
    assert not grants_read(finance, agenda, now=later(2.99) - dt.timedelta(days=3))


def test_req_doc_05_access_only_for_the_borrower_and_that_document(lib):
    approved(lib)
    assert can_read(lib["finance"], lib["agenda"])
    assert not can_read(lib["finance"], lib["attendees"])  # another document of the same meeting
    assert not can_read(lib["quality"], lib["agenda"])  # somebody else


def test_req_doc_05_returning_ends_access_early(lib):
    b = approved(lib)
    with pytest.raises(PermissionDenied):
        services.return_borrowing(b, by=lib["quality"])
    services.return_borrowing(b, by=lib["finance"])
    assert not can_read(lib["finance"], lib["agenda"])
    b.refresh_from_db()
    assert b.returned_at is not None and b.status == "returned"


def test_req_doc_05_download_link_of_the_borrower_fails_for_another_user(lib, client):
    approved(lib)
    url = reverse("documents:download", args=[lib["agenda"].current_version.pk])
    client.force_login(lib["finance"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(lib["quality"])
    assert client.get(url).status_code == 404
    client.force_login(lib["stranger"])
    assert client.get(url).status_code == 404


def test_req_doc_05_expired_borrowing_download_fails(lib, client):
    b = approved(lib)
    url = reverse("documents:download", args=[lib["agenda"].current_version.pk])
    client.force_login(lib["finance"])
    assert client.get(url).status_code == 200
    type(b).objects.filter(pk=b.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=3), due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(url).status_code == 404


def test_req_doc_05_very_high_needs_the_borrowers_signed_agreement_and_reads_are_logged(lib, client):
    quality, attendees = lib["quality"], lib["attendees"]
    b = approved(lib, doc="attendees", who="quality")
    assert not can_read(quality, attendees)  # approved but not signed
    version = attendees.current_version
    with pytest.raises(PermissionDenied):
        list(documents.open_version(version, user=quality))
    with pytest.raises(PermissionDenied):
        services.sign_agreement(b, by=lib["finance"])  # only the borrower signs for the borrowing
    services.sign_agreement(b, by=quality)
    assert ConfidentialityAgreement.objects.filter(project=lib["project"], user=quality).exists()
    assert can_read(quality, attendees)
    client.force_login(quality)
    assert client.get(reverse("documents:detail", args=[attendees.pk])).status_code == 200
    response = client.get(reverse("documents:download", args=[version.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content)
    actions = set(AccessLog.objects.filter(document=attendees, user=quality).values_list("action", flat=True))
    assert actions == {"view", "download"}


def test_req_doc_09_a_borrowers_signature_does_not_count_as_team_coverage(lib):
    from huiyi.documents.metrics import confidentiality_agreement_coverage
    from huiyi.rulebook.services import rulebook_for

    before = confidentiality_agreement_coverage(lib["project"], rulebook_for(lib["project"])).value
    b = approved(lib, doc="attendees", who="quality")
    services.sign_agreement(b, by=lib["quality"])
    after = confidentiality_agreement_coverage(lib["project"], rulebook_for(lib["project"])).value
    assert before == after


def test_req_doc_05_very_high_paper_copy_not_handed_out_before_the_agreement(lib):
    from django.core.exceptions import ValidationError

    b = services.request_borrowing(
        lib["attendees"], by=lib["quality"], medium="paper", purpose="核对", due_at=later(2)
    )
    services.approve(b, by=lib["pm"])
    with pytest.raises(ValidationError) as error:
        services.hand_out(b, by=lib["keeper"])
    assert "agreement" in error.value.message_dict
    services.sign_agreement(b, by=lib["quality"])
    assert services.hand_out(b, by=lib["keeper"]).status == "lent"
