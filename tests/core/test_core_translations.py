"""The zh-Hans catalogue is complete: no empty or fuzzy entry ships (Chinese is the default language)."""

from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "src/huiyi/locale/zh_Hans/LC_MESSAGES/django.po"


def test_every_interface_string_has_a_chinese_translation():
    with CATALOGUE.open("rb") as source:
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
    assert not missing, f"translate these in {CATALOGUE.name}: {missing[:20]}"


def test_placeholders_survive_translation():
    with CATALOGUE.open("rb") as source:
        catalog = read_po(source, locale="zh_Hans")
    errors = [
        f"{message.id!r}: {error}" for message in catalog if message.id for error in message.check(catalog)
    ]
    assert not errors, errors[:10]
