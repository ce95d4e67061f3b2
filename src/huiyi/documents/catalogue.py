"""Document types (the §3.5(1) scope plus the rulebook's phase outputs) and retention classes (rulebook)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from huiyi.rulebook.display import text

#: §3.5(1) / REQ-DOC-01: the records a meeting produces.
SCOPE_TYPES = {
    "notice": _("Notice"),
    "invitation": _("Invitation"),
    "agenda": _("Agenda"),
    "sign_in_sheet": _("Sign-in sheet"),
    "materials": _("Meeting materials"),
    "minutes": _("Minutes"),
    "resolution": _("Resolution"),
    "recording": _("Recording"),
    "attendee_list": _("Attendee list"),
    "layout_drawing": _("Layout drawing"),
    "equipment_list_doc": _("Equipment list"),
    "contract": _("Contract"),
    "other": _("Other record"),
}

#: The retention class a type usually has (the user may choose another).
DEFAULT_RETENTION = {
    "agenda": "agenda",
    "attendee_list": "attendee_list",
    "minutes": "discussion_records",
    "resolution": "discussion_records",
    "sign_in_sheet": "sign_in_records",
    "contract": "external_service_contract",
    "service_contract": "external_service_contract",
}


def doc_types(rulebook) -> list[tuple[str, str]]:
    """(key, label) of every type: the scope, then each phase output of the project's rulebook."""
    types = [(key, str(label)) for key, label in SCOPE_TYPES.items()]
    for phase in rulebook.phases:
        for output in phase.outputs:
            types.append((output.id, text(output.name)))
    return types


def type_label(rulebook, key: str) -> str:
    return dict(doc_types(rulebook)).get(key, key)


def type_label_zh(rulebook, key: str) -> str:
    """The Chinese name of a type (the naming rule is Chinese whatever the reader's language)."""
    with translation.override("zh-hans"):
        return type_label(rulebook, key)


def retention_rules(rulebook) -> dict:
    """document_class → retention Rule (``doc.retention.*`` and ``con.retention.*``)."""
    return {
        rule.applies_to["document_class"]: rule
        for rule in rulebook.rules_where(metric="retention_period", kind="retention")
        if "document_class" in rule.applies_to
    }


def retention_choices(rulebook) -> list[tuple[str, str]]:
    return [(key, text(rule.name)) for key, rule in retention_rules(rulebook).items()]
