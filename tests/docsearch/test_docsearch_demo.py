"""The demo's documents end up searchable (REQ-DOC-01): build() indexes what the signal has not yet."""

from django.core.files.uploadedfile import SimpleUploadedFile

from huiyi.documents import services as documents
from huiyi.documents.search import demo, queries
from huiyi.documents.search.models import DocumentText


def test_req_doc_01_demo_indexes_documents_not_yet_indexed(team, inline_extraction):
    # filed inside the test's transaction: the on-commit indexing has not run
    documents.create_document(
        project=team["project"],
        doc_type="minutes",
        title="筹备会纪要",
        retention_class="discussion_records",
        confidentiality="high",
        upload=SimpleUploadedFile("minutes.txt", "确定主会场为三楼宴会厅。".encode()),
        by=team["pm"],
    )
    assert not DocumentText.objects.exists()
    assert demo.build([team["project"]], {}) == {"indexed": 1}
    assert list(queries.search(team["pm"], "宴会厅").values_list("title", flat=True)) == ["筹备会纪要"]
    assert demo.build([team["project"]], {}) == {}  # nothing left to do
