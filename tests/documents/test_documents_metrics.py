"""REQ-DOC-09 agreement coverage and REQ-DOC-02 naming-rule metrics, judged against the rulebook."""

from decimal import Decimal

from huiyi.documents import metrics, services
from huiyi.quality.metrics import Measurement, NotMeasurable
from huiyi.rulebook.services import rulebook_for

from .conftest import pdf


def test_req_doc_09_agreement_coverage_metric(team):
    project = team["project"]
    rulebook = rulebook_for(project)
    rule = rulebook.rules_where(metric="confidentiality_agreement_coverage")[0]
    result = metrics.confidentiality_agreement_coverage(project, rulebook)
    assert isinstance(result, Measurement) and result.value == 0 and not rule.passes(result.value)
    for member in project.members.all():
        services.sign_agreement(project, user=member.user)
    result = metrics.confidentiality_agreement_coverage(project, rulebook)
    assert result.value == Decimal("1.00") and rule.passes(result.value)


def test_req_doc_02_naming_rule_metric(team):
    project = team["project"]
    rulebook = rulebook_for(project)
    assert isinstance(metrics.document_name_follows_rule(project, rulebook), NotMeasurable)
    services.create_document(project=project, doc_type="agenda", title="议程", upload=pdf(), by=team["pm"])
    result = metrics.document_name_follows_rule(project, rulebook)
    assert result.value == 1 and rulebook.rules_where(metric="document_name_follows_rule")[0].passes(
        result.value
    )
