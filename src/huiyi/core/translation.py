"""Translated text stored as {"zh-hans": …, "en": …} (the API's shape for translated strings)."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_KEYS = ("zh-hans", "en")
FALLBACK_ORDER = {"zh-hans": ("zh-hans", "en"), "en": ("en", "zh-hans")}


def localize(value: Mapping | str | None, language: str | None = None) -> str:
    """The text in the active language, falling back to the other one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    language = (language or get_language() or "zh-hans").lower()
    key = "en" if language.startswith("en") else "zh-hans"
    for candidate in FALLBACK_ORDER[key]:
        if value.get(candidate):
            return value[candidate]
    return ""


def validate_translated(value):
    if not isinstance(value, Mapping):
        raise ValidationError(_("Expected an object with “zh-hans” and “en” texts."), code="invalid")
    unknown = set(value) - set(LANGUAGE_KEYS)
    if unknown:
        raise ValidationError(
            _("Unknown language key(s): %(keys)s."),
            params={"keys": ", ".join(sorted(unknown))},
            code="invalid",
        )
    if not any(str(value.get(key) or "").strip() for key in LANGUAGE_KEYS):
        raise ValidationError(_("Give the text in at least one language."), code="required")


class TranslatedField(models.JSONField):
    """A JSON object of language → text; at least one language must be given."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)
        if validate_translated not in self.validators:
            self.validators.append(validate_translated)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is dict:
            del kwargs["default"]
        return name, path, args, kwargs
