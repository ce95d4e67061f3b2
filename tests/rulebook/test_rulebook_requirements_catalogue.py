"""The shipped REQ ID catalogue (``huiyi.rulebook.requirements``) equals REQUIREMENTS.md."""

from __future__ import annotations

import re

import pytest
from rulebook_testkit import requirements_path

from huiyi.rulebook.requirements import REQ_ID_PATTERN, REQ_IDS, REQUIREMENTS, parse_requirement_ids

_SPEC = requirements_path()


def test_shipped_catalogue_is_well_formed():
    assert len(REQ_IDS) == len(REQUIREMENTS) == 89
    assert all(re.match(REQ_ID_PATTERN, i) for i in REQ_IDS)
    assert all(title.strip() for title in REQUIREMENTS.values())


@pytest.mark.skipif(_SPEC is None, reason="REQUIREMENTS.md not present beside the repository")
def test_shipped_REQ_IDs_equal_the_ones_in_REQUIREMENTS_md():
    ids = parse_requirement_ids(_SPEC.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)), "an ID is defined twice in REQUIREMENTS.md"
    assert set(ids) == REQ_IDS, {"missing": set(ids) - REQ_IDS, "extra": REQ_IDS - set(ids)}
    assert list(REQUIREMENTS) == ids, "shipped in the catalogue's order"


def test_parse_requirement_ids_reads_bullets_only():
    text = "- REQ-GEN-01 Meeting types\n  see REQ-GEN-02 in prose\n- REQ-INT-07 Output: list\n"
    assert parse_requirement_ids(text) == ["REQ-GEN-01", "REQ-INT-07"]
