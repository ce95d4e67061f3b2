"""REQ-FBK-01: the default template of §2.9(1) from the rulebook, weighted satisfaction Σ aᵢ·wᵢ and the
composite Σ Fᵢ·Rᵢ / Σ Fᵢ against hand-computed values (weights read from the rulebook)."""

from decimal import Decimal

import pytest
from survey_helpers import scale_questions

from huiyi.feedback.surveys import queries, scoring, services
from huiyi.feedback.surveys.models import Audience, QuestionKind
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def test_req_fbk_01_default_template_has_the_rulebook_dimensions_and_suggestions(survey):
    rulebook = rulebook_for(survey.project)
    dimensions = [q.dimension for q in scale_questions(survey)]
    assert dimensions == list(scoring.dimension_rules(rulebook))
    assert set(dimensions) == {"agenda", "content", "venue", "technical_support", "overall"}
    last = survey.template.questions.order_by("position").last()
    assert last.kind == QuestionKind.TEXT and not last.required
    assert all(q.weight is None and q.text_en for q in scale_questions(survey))
    # Seeded once: asking again returns the same template.
    assert services.default_template(Audience.ATTENDEES) == survey.template


def test_req_fbk_01_weights_come_from_the_rulebook(survey):
    rulebook = rulebook_for(survey.project)
    weights = scoring.effective_weights(scale_questions(survey), rulebook)
    expected = {
        r.applies_to["dimension"]: Decimal(str(r.value))
        for r in rulebook.rules_where(kind="weight")
        if r.group == "survey_dimensions"
    }
    assert {q.dimension: weights[q.pk] for q in scale_questions(survey)} == expected
    assert sum(weights.values()) == 1


def test_req_fbk_01_weighted_and_composite_scores_hand_computed(survey):
    rulebook = rulebook_for(survey.project)
    w = {
        r.applies_to["dimension"]: Decimal(str(r.value))
        for r in rulebook.rules_where(kind="weight")
        if r.group == "survey_dimensions"
    }
    qs = {q.dimension: q for q in scale_questions(survey)}
    answers = [
        {"agenda": 5, "content": 4, "venue": 3, "technical_support": 4, "overall": 5},
        {"agenda": 3, "content": 4, "venue": 5, "technical_support": 2, "overall": 4},
    ]
    for row in answers:
        services.submit(survey, {qs[d].pk: v for d, v in row.items()})
    # Means per dimension: agenda 4, content 4, venue 4, technical 3, overall 4.5.
    means = {"agenda": 4, "content": 4, "venue": 4, "technical_support": 3, "overall": Decimal("4.5")}
    expected = sum(Decimal(means[d]) * w[d] for d in means) / sum(w.values())
    summary = queries.summary(survey)
    assert summary.score == expected
    # Composite over all ten answers: frequencies 5×2, 4×5, 3×2, 2×1 → (10+20+6+2)/10 = 3.9
    assert summary.composite == Decimal("3.9")
    # Per response score stored: first response Σ aᵢwᵢ.
    first = survey.responses.order_by("pk").first()
    assert first.score == (sum(Decimal(answers[0][d]) * w[d] for d in w) / sum(w.values())).quantize(
        Decimal("0.0001")
    )
    # On 100: score / top of the scale × 100.
    high = scoring.scale(rulebook)[1]
    assert summary.score_100 == (expected / high * 100).quantize(Decimal("0.1"))


def test_req_fbk_01_own_weights_override_and_unweighted_questions_are_not_scored(manager, meeting):
    template = services.create_template(by=manager, name="自定义", audience=Audience.ATTENDEES)
    template = services.add_question(template, by=manager, kind="scale", text="会务", weight="0.75")
    template = services.add_question(template, by=manager, kind="scale", text="餐饮", weight="0.25")
    template = services.add_question(template, by=manager, kind="scale", text="不计分")
    from datetime import timedelta

    from django.utils import timezone

    survey = services.create_survey(
        meeting,
        by=manager,
        template=template,
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    a, b, c = template.questions.order_by("position")
    services.submit(survey, {a.pk: 4, b.pk: 2, c.pk: 1})
    # 4 × 0.75 + 2 × 0.25 = 3.5; the third question has no weight and no dimension.
    assert queries.summary(survey).score == Decimal("3.5")
