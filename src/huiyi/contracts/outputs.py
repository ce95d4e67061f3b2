"""Phase output `service_contract` (REQ-QLT-01): the project's signed contract in force."""

from django.urls import reverse
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output

from .models import Contract


@output("service_contract")
def service_contract(project):
    contract = (
        Contract.objects.filter(project=project, status__in=[Contract.Status.SIGNED, Contract.Status.CLOSED])
        .order_by("-version")
        .first()
    )
    if contract is None:
        return None
    return Evidence(
        label=_("%(contract)s, signed %(date)s")
        % {"contract": contract, "date": f"{contract.signed_at:%Y-%m-%d}"},
        url=reverse("contracts:detail", args=[contract.pk]),
    )
