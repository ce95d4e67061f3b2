"""REQ-DOC-04/07/09 permission matrix: role × class × membership (deny by default)."""

import pytest

from huiyi.documents import queries, services
from huiyi.documents.models import Document
from huiyi.documents.rules import can_read

from .conftest import pdf, xlsx

CLASSES = ["general", "medium", "high", "very_high"]


@pytest.fixture
def documents(team):
    services.sign_agreement(team["project"], user=team["pm"])
    services.sign_agreement(team["project"], user=team["reception"])
    made = {}
    for confidentiality in CLASSES:
        upload = xlsx() if confidentiality == "very_high" else pdf()
        made[confidentiality] = services.create_document(
            project=team["project"],
            doc_type="attendee_list" if confidentiality == "very_high" else "materials",
            retention_class="attendee_list"
            if confidentiality == "very_high"
            else "internal_management_document",
            confidentiality=confidentiality,
            title=confidentiality,
            upload=upload,
            by=team["pm"],
        )
    return made


# who → classes they may read
MATRIX = {
    "pm": {"general", "medium", "high", "very_high"},  # member, role grants very-high, signed
    "reception": {"general", "medium", "high", "very_high"},  # member, role grants very-high, signed
    "onsite": {"general", "medium", "high"},  # member, role grants very-high, NOT signed
    "planner": {"general", "medium", "high"},  # member, role does not grant very-high
    "tech": {"general", "medium", "high"},
    "reception_outside": set(),  # same unit, but reception sees only the projects it is on
    "quality": {"general", "medium"},  # reads open classes, not a team member
    "stranger": set(),  # cannot see the project at all
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_req_doc_04_permission_matrix_role_class_membership(team, documents, who):
    user = team[who]
    allowed = {c for c, d in documents.items() if can_read(user, d)}
    assert allowed == MATRIX[who]
    listed = set(queries.readable(user).values_list("confidentiality", flat=True))
    assert listed == MATRIX[who]  # the list query agrees with the object rule


def test_req_doc_09_signing_opens_very_high_to_a_permitted_member(team, documents):
    user = team["onsite"]
    assert not can_read(user, documents["very_high"])
    services.sign_agreement(team["project"], user=user)
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert can_read(user, documents["very_high"])


def test_req_doc_07_superuser_does_not_bypass_very_high(team, documents, make_user):
    admin = make_user(None, None, is_superuser=True, is_staff=True)
    assert can_read(admin, documents["high"])
    assert not can_read(admin, documents["very_high"])


def test_req_doc_04_users_without_a_document_role_see_nothing(team, documents, make_user, org):
    nobody = make_user(None, org["north_events"])
    assert not queries.readable(nobody).exists()
    assert not any(can_read(nobody, d) for d in Document.objects.all())
