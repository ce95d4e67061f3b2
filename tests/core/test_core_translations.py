"""The zh-Hans catalogues are complete: no empty or fuzzy entry ships (Chinese is the default language).

The project catalogue is src/huiyi/locale; an app may keep its own (src/huiyi/<app>/locale), as Django
looks in every installed app's folder.
"""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

SOURCE = Path(__file__).resolve().parents[2] / "src/huiyi"
CATALOGUES = sorted(SOURCE.glob("**/locale/zh_Hans/LC_MESSAGES/*.po"))


def test_the_project_catalogue_is_found():
    assert SOURCE / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_every_interface_string_has_a_chinese_translation(catalogue):
    with catalogue.open("rb") as source:
        catalog = read_po(source, locale="zh_Hans")
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert not missing, f"translate these in {catalogue}: {missing[:20]}"


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_placeholders_survive_translation(catalogue):
    with catalogue.open("rb") as source:
        catalog = read_po(source, locale="zh_Hans")
    errors = [
        f"{message.id!r}: {error}" for message in catalog if message.id for error in message.check(catalog)
    ]
    assert not errors, errors[:10]
