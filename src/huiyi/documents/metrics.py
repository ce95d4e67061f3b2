"""Measurements of REQ-DOC-02 and REQ-DOC-09 for the quality scorecard; thresholds come from the rulebook."""

from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from .models import ConfidentialityAgreement, DocumentVersion
from .services import follows_naming_rule


@metric("confidentiality_agreement_coverage")
def confidentiality_agreement_coverage(project, rulebook):
    """Team members who signed the project's confidentiality agreement / team members."""
    members = set(project.members.values_list("user_id", flat=True))
    if not members:
        return NotMeasurable(_("The project has no team members yet."))
    signed = set(
        ConfidentialityAgreement.objects.filter(project=project, user_id__in=members).values_list(
            "user_id", flat=True
        )
    )
    value = (Decimal(len(signed)) / len(members)).quantize(Decimal("0.01"))
    return Measurement(value=value, evidence={"members": len(members), "signed": len(signed)})


@metric("document_name_follows_rule")
def document_name_follows_rule(project, rulebook):
    """1 when every current version's file name follows 会议名称-日期-类型, else 0."""
    versions = list(
        DocumentVersion.objects.filter(
            document__project=project, document__current_version=F("pk")
        ).select_related("document", "document__project")
    )
    if not versions:
        return NotMeasurable(_("No document has been filed for this meeting yet."))
    wrong = [v.pk for v in versions if not follows_naming_rule(v)]
    return Measurement(value=Decimal(0 if wrong else 1), evidence={"versions": len(versions), "wrong": wrong})
