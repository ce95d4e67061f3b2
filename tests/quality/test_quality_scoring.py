"""Scores wired to the rulebook: P (REQ-GEN-04), Q = S × E × P (REQ-GEN-04), final score α·S + β·E
(REQ-FBK-08) and the phase-weighted overall quality (REQ-QLT-02). Weights are read from the rulebook."""

from decimal import Decimal

import pytest

from huiyi.quality import formulas, metrics, scoring, services
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(make_user, org):
    return make_user("project_director", org["north"])


@pytest.fixture
def project(make_project, director):
    return make_project(phase=2, members=[(director, "project_director")])


def _fail_and_pass(project, director):
    """CCP-02: creativity passes, budget deviation fails; CCP-03: signature passes."""
    rulebook = rulebook_for(project)
    creativity = rulebook.rule("ccp02.creativity_score")
    limit = Decimal(str(rulebook.rule("ccp02.budget_deviation").value))
    services.record_measurement(project, creativity.metric, Decimal(str(creativity.value)) + 1, by=director)
    services.record_budget(project, planned=1000 * (1 + limit) + 100, budget=1000, by=director)
    services.record_measurement(project, "plan_client_signed", 1, by=director)
    services.evaluate(project, by=director)


def test_req_gen_04_p_is_passed_over_measured(project, director):
    _fail_and_pass(project, director)
    scores = scoring.project_scores(project)
    assert scores.p.value == Decimal(2) / Decimal(3)
    assert [v for _, v in scores.p.inputs] == ["2", "3"]


def test_nothing_measured_means_not_yet_measurable(project):
    scores = scoring.project_scores(project)
    for score in (scores.p, scores.s, scores.e, scores.q, scores.final, scores.overall):
        assert score.value is None
        assert score.reason
    assert all(not phase.measurable for phase in scores.phases)


def test_req_qlt_02_phase_scores_and_weighted_overall_use_rulebook_weights(project, director):
    _fail_and_pass(project, director)
    rulebook = rulebook_for(project)
    scores = scoring.project_scores(project)
    p1 = rulebook.phases[0]
    assert scores.phases[0].value == Decimal(2) / Decimal(3)
    assert all(s.value is None for s in scores.phases[1:])
    expected = formulas.phase_weighted_quality(
        {p1.id: Decimal(2) / Decimal(3)}, {p1.id: Decimal(str(p1.weight))}, normalize=True
    )
    assert scores.overall.value == expected
    assert rulebook.formulas["overall_quality"].expression == scores.overall.formula


def test_req_gen_04_and_req_fbk_08_with_registered_s_and_e(project, director):
    _fail_and_pass(project, director)
    # stand-ins for the feedback app's computations; whatever was registered comes back afterwards
    keys = (scoring.SATISFACTION_METRIC, scoring.ON_TIME_METRIC)
    saved = {key: metrics.registry().get(key) for key in keys}
    for key in saved:
        metrics.unregister(key)

    @metrics.metric(scoring.SATISFACTION_METRIC)
    def satisfaction(project, rulebook):
        return metrics.Measurement(value=formulas.satisfaction_rate(9, 10), evidence={"surveys": 10})

    @metrics.metric(scoring.ON_TIME_METRIC)
    def on_time(project, rulebook):
        return metrics.Measurement(value=formulas.on_time_rate(19, 20))

    try:
        scores = scoring.project_scores(project)
    finally:
        for key, original in saved.items():
            metrics.unregister(key)
            if original is not None:
                metrics.metric(key, replace=True)(original)
    rulebook = rulebook_for(project)
    s, e, p = Decimal("0.9"), Decimal("0.95"), Decimal(2) / Decimal(3)
    assert scores.q.value == formulas.service_quality(s, e, p)
    weights = {
        r.applies_to["component"]: r.value
        for r in rulebook.rules_where(kind="weight")
        if r.group == "final_service_score"
    }
    alpha, beta = weights[scoring.PROCESS_COMPONENT], weights[scoring.SATISFACTION_COMPONENT]
    assert scores.final.value == formulas.final_service_score(
        scores.overall.value, s, alpha, beta, max_score=1
    )
    assert ("α", str(Decimal(str(alpha)).normalize())) in scores.final.inputs


def test_s_and_e_not_measurable_until_registered(project, director):
    _fail_and_pass(project, director)
    scores = scoring.project_scores(project)
    assert scores.s.value is None and scores.e.value is None
    assert scores.q.value is None and "S" in scores.q.reason and "E" in scores.q.reason
    assert scores.final.value is None
    assert scores.p.value is not None
