"""CCP 10 financial settlement: deviation from the contract, invoice accuracy, payments on time, disputes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huiyi.closing import queries, services
from huiyi.closing.models import Payment, Settlement
from huiyi.quality import metrics
from huiyi.rulebook.services import rulebook_for

from .conftest import VALUE


def measure(project, key):
    return metrics.measure(key, project, rulebook_for(project))


def test_req_qlt_03_ccp10_settlement_takes_the_contract_value_and_its_payment_schedule(team, contract):
    settlement = services.save_settlement(team["project"], final_amount="100600.00", by=team["finance"])
    figures = queries.settlement_figures(team["project"])
    assert figures.value == VALUE and figures.value_source == "contract"
    assert figures.deviation == Decimal("0.006")
    assert figures.verdict(queries.SETTLEMENT_DEVIATION) == "pass"
    assert [p.name for p in settlement.payments.all()] == ["预付款", "尾款"]
    assert all(p.schedule_line_id for p in settlement.payments.all())


@pytest.mark.parametrize(
    ("final", "verdict"),
    [
        ("101000.00", "pass"),
        ("101000.01", "fail"),
        ("99000.00", "pass"),
        ("98999.99", "fail"),
        ("100000", "pass"),
    ],
)
def test_req_qlt_03_ccp10_deviation_edge_of_the_rulebook_threshold_in_decimal(team, contract, final, verdict):
    """|final − contract| / contract against ≤ 1 %: exactly 1 % passes, one fen more fails (no float)."""
    services.save_settlement(team["project"], final_amount=final, by=team["finance"])
    outcome = measure(team["project"], "settlement_deviation")
    assert isinstance(outcome.value, Decimal)
    rule = rulebook_for(team["project"]).rules_where(metric="settlement_deviation")[0]
    assert ("pass" if rule.passes(outcome.value) else "fail") == verdict
    assert queries.settlement_figures(team["project"]).verdict("settlement_deviation") == verdict


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "Enter an amount"),
        ("-1.00", "cannot be negative"),
        ("1.001", "two decimal places"),
        ("NaN", "Enter an amount"),
        ("1e400", "too large"),
        ("Infinity", "Enter an amount"),
    ],
)
def test_req_qlt_03_bad_money_is_refused_naming_the_field_and_nothing_is_saved(team, contract, raw, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.save_settlement(team["project"], final_amount=raw, by=team["finance"])
    assert "final_amount" in error.value.message_dict
    assert message in error.value.message_dict["final_amount"][0]
    assert not Settlement.objects.exists()


def test_req_qlt_03_no_contract_needs_an_agreed_value_with_its_source(team):
    project = team["project"]
    with pytest.raises(ValidationError) as error:
        services.save_settlement(project, final_amount="5000", by=team["finance"])
    assert "agreed_value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.save_settlement(project, final_amount="5000", agreed_value="5000", by=team["finance"])
    assert "agreed_value_note" in error.value.message_dict
    settlement = services.save_settlement(
        project,
        final_amount="5030",
        agreed_value="5000",
        agreed_value_note="客户邮件确认的报价单",
        by=team["finance"],
    )
    figures = queries.settlement_figures(project)
    assert figures.value_source == "agreed" and figures.deviation == Decimal("0.006")
    assert not settlement.payments.exists()


def test_req_qlt_03_with_a_contract_an_agreed_value_is_refused(team, contract):
    with pytest.raises(ValidationError) as error:
        services.save_settlement(team["project"], agreed_value="5000", by=team["finance"])
    assert "agreed_value" in error.value.message_dict


def test_req_qlt_03_ccp10_amended_contract_value_counts(team, contract):
    """The latest signed version (amendments included) is the value settled against."""
    from huiyi.contracts.models import Contract

    amended = Contract.objects.get(pk=contract.pk)
    amended.pk = None
    amended.version = 2
    amended.previous = contract
    amended.value = Decimal("110000.00")
    amended.save()
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.AMENDED)
    services.save_settlement(team["project"], final_amount="110000.00", by=team["finance"])
    figures = queries.settlement_figures(team["project"])
    assert figures.value == Decimal("110000.00") and figures.deviation == 0


def test_req_qlt_03_ccp10_invoice_accuracy_counts_a_corrected_invoice_as_wrong(team, contract):
    settlement = services.save_settlement(team["project"], final_amount="100000", by=team["finance"])
    today = timezone.localdate()
    assert isinstance(measure(team["project"], "invoice_accuracy_rate"), metrics.NotMeasurable)
    first = services.add_invoice(
        settlement, number="No.001", amount="50000", issued_at=today, by=team["finance"]
    )
    services.add_invoice(settlement, number="No.002", amount="50000", issued_at=today, by=team["finance"])
    assert measure(team["project"], "invoice_accuracy_rate").value == 1
    services.correct_invoice(first, correction="抬头错误,已红冲重开", corrected_at=today, by=team["finance"])
    assert measure(team["project"], "invoice_accuracy_rate").value == Decimal("0.5")
    with pytest.raises(ValidationError) as error:
        services.add_invoice(settlement, number="No.002", amount="1", issued_at=today, by=team["finance"])
    assert "number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_invoice(settlement, number="No.003", amount="0", issued_at=today, by=team["finance"])
    assert "amount" in error.value.message_dict


def test_req_qlt_03_ccp10_payments_on_time_rate_counts_due_or_paid_only(team, contract):
    settlement = services.save_settlement(team["project"], final_amount="100000", by=team["finance"])
    today = timezone.localdate()
    advance, final = list(settlement.payments.order_by("due_date"))
    # advance due 40 days ago, final due 2 days ago: both count, none paid → 0 %
    assert measure(team["project"], "payment_on_time_rate").value == 0
    services.record_payment(advance, paid_amount=advance.amount, paid_at=advance.due_date, by=team["finance"])
    services.record_payment(final, paid_amount=final.amount, paid_at=today, by=team["finance"])
    outcome = measure(team["project"], "payment_on_time_rate")
    assert outcome.value == Decimal("0.5") and "尾款" in outcome.evidence["late"]
    extra = services.add_payment(
        settlement, name="追加款", amount="100.00", due_date=today + timedelta(days=9), by=team["finance"]
    )
    assert (
        measure(team["project"], "payment_on_time_rate").evidence["payments_counted"] == 2
    )  # not due: not counted
    services.record_payment(extra, paid_amount="99.99", paid_at=today, by=team["finance"])  # short: not paid
    assert not Payment.objects.get(pk=extra.pk).is_paid
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            extra, paid_amount="100", paid_at=today + timedelta(days=1), by=team["finance"]
        )
    assert "paid_at" in error.value.message_dict


def test_req_qlt_03_ccp10_ninety_five_percent_on_time_passes(team):
    """19 of 20 instalments on time = 95 % meets the rulebook's ≥ 95 %; 18 of 20 does not."""
    project = team["project"]
    today = timezone.localdate()
    settlement = services.save_settlement(
        project, final_amount="2000", agreed_value="2000", agreed_value_note="框架协议", by=team["finance"]
    )
    payments = [
        services.add_payment(
            settlement, name=f"第{i}期", amount="100", due_date=today - timedelta(days=3), by=team["finance"]
        )
        for i in range(20)
    ]
    for index, payment in enumerate(payments):
        paid_at = today - timedelta(days=3) if index else today
        services.record_payment(payment, paid_amount="100", paid_at=paid_at, by=team["finance"])
    figures = queries.settlement_figures(project)
    assert figures.on_time_rate == Decimal("0.95") and figures.verdict("payment_on_time_rate") == "pass"
    services.record_payment(payments[1], paid_amount="100", paid_at=today, by=team["finance"])
    assert queries.settlement_figures(project).verdict("payment_on_time_rate") == "fail"


def test_req_qlt_03_ccp10_any_fee_dispute_fails_even_when_resolved(team, contract):
    assert isinstance(measure(team["project"], "fee_dispute_count"), metrics.NotMeasurable)
    settlement = services.save_settlement(team["project"], final_amount="100000", by=team["finance"])
    assert measure(team["project"], "fee_dispute_count").value == 0
    dispute = services.open_dispute(settlement, subject="茶歇费用计价", amount="1200", by=team["finance"])
    services.resolve_dispute(dispute, resolution="按合同单价结算,客户确认", by=team["finance"])
    outcome = measure(team["project"], "fee_dispute_count")
    assert outcome.value == 1 and outcome.evidence["open"] == 0
    assert queries.settlement_figures(team["project"]).verdict("fee_dispute_count") == "fail"
    with pytest.raises(ValidationError):
        services.resolve_dispute(dispute, resolution="again", by=team["finance"])
