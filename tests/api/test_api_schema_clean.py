"""The OpenAPI schema at /api/v1/schema/ is the API's contract (ARCHITECTURE.md, API): it is generated
without a single drf-spectacular warning or error, and it is a valid OpenAPI 3 document.

A warning means a part of the contract is guessed (an unresolvable serializer, an enum named by a hash such as
`Kind42bEnum` that changes whenever a choice changes, a path parameter of unknown type). The enum names are
pinned in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]; views that drf-spectacular cannot read are annotated
with extend_schema.
"""

import re

import pytest
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import _load_enum_name_overrides
from drf_spectacular.settings import patched_settings
from drf_spectacular.validation import validate_schema

#: drf-spectacular's name for a colliding enum: the field name and three characters of a hash (Kind42bEnum).
HASHED_ENUM = re.compile(r"^[A-Z][a-z]+[A-Z0-9][0-9a-f]{2}Enum$")


def _generate(language: str) -> tuple[dict, list[str], list[str]]:
    """Generate the schema as `huiyi spectacular` does; return it with the warnings and errors emitted."""
    GENERATOR_STATS.reset()
    _load_enum_name_overrides.cache_clear()
    with translation.override(language), GENERATOR_STATS.silence():
        schema = SchemaGenerator(api_version="1.0.0").get_schema(request=None, public=True)
        validate_schema(schema)
    warnings, errors = list(GENERATOR_STATS._warn_cache), list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    return schema, warnings, errors


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_schema_has_no_warnings_or_errors(language):
    """Enum labels are translated and take part in drf-spectacular's enum naming: both languages are clean."""
    schema, warnings, errors = _generate(language)
    assert errors == [], "\n".join(errors)
    assert warnings == [], "\n".join(warnings)
    assert schema["paths"]


def test_shared_choice_sets_have_their_pinned_names():
    """A booking and a plan's resource line share one kind; a plan review's outcome is one choice set."""
    schema, _warnings, _errors = _generate("zh-hans")
    components = schema["components"]["schemas"]
    hashed = [name for name in components if HASHED_ENUM.search(name)]
    assert hashed == []
    for name in ("ClientKindEnum", "ResourceKindEnum", "ChangeRequestKindEnum", "PlanReviewOutcomeEnum"):
        assert "enum" in components[name], name
    assert components["ResourceKindEnum"]["enum"] == ["venue", "equipment", "staff", "material"]


def test_without_the_pinned_names_the_check_fails():
    """The check can fail: without ENUM_NAME_OVERRIDES the colliding "kind" enums are warned about."""
    with patched_settings({"ENUM_NAME_OVERRIDES": {}}):
        schema, warnings, _errors = _generate("zh-hans")
    _load_enum_name_overrides.cache_clear()
    assert any("enum naming encountered a non-optimally resolvable collision" in w for w in warnings)
    assert [name for name in schema["components"]["schemas"] if HASHED_ENUM.search(name)]
