"""What a closing records: the items of the site check after tear-down and the records to archive.

These are lists of things, not numbers of the standard: the thresholds (site check passed, archive 100 %
within X working days) come from the project's rulebook.
"""

from django.utils.translation import gettext_lazy as _

#: The site check after tear-down (CCP 11 "现场检查报告"; REQ-ONS-07 tear-down).
SITE_CHECK_ITEMS: list[tuple[str, object]] = [
    ("equipment_recovered", _("Equipment recovered and counted")),
    ("venue_restored", _("Venue restored to its original state")),
    ("materials_removed", _("Signage, materials and exhibits removed")),
    ("rubbish_cleared", _("Rubbish cleared")),
    ("facilities_undamaged", _("Venue facilities undamaged (or damage recorded)")),
    ("lost_property_swept", _("Every room searched for lost property")),
    ("venue_handover", _("Venue handed back and accepted by the venue")),
]
SITE_CHECK_KEYS = [key for key, _label in SITE_CHECK_ITEMS]
SITE_CHECK_LABELS = dict(SITE_CHECK_ITEMS)
#: The item of the site check that says the lost-and-found sweep was done.
SWEEP_ITEM = "lost_property_swept"

#: The records every meeting archives (REQ-DOC-01 scope; REQ-ONS-08 photo/video; phase outputs).
ARCHIVE_RECORDS: list[tuple[str, object]] = [
    ("notice", _("Meeting notice and invitations")),
    ("agenda", _("Agenda")),
    ("sign_in", _("Sign-in records")),
    ("attendee_list", _("Attendee list with contacts")),
    ("materials", _("Meeting materials")),
    ("minutes", _("Minutes and resolutions")),
    ("recordings", _("Photo and video records")),
    ("layout_drawing", _("Venue layout drawing")),
    ("equipment_list", _("Equipment list")),
    ("contract_settlement", _("Contract and settlement documents")),
    ("summary_report", _("Service summary report")),
]
ARCHIVE_KEYS = [key for key, _label in ARCHIVE_RECORDS]
ARCHIVE_LABELS = dict(ARCHIVE_RECORDS)

#: The document types (scope types of REQ-DOC-01 and phase outputs) that archive each checklist record: a
#: record is archived when it is ticked or when a document of one of its types has a version (REQ-DOC-03).
ARCHIVE_DOCUMENT_TYPES: dict[str, tuple[str, ...]] = {
    "notice": ("notice", "invitation"),
    "agenda": ("agenda",),
    "sign_in": ("sign_in_sheet",),
    "attendee_list": ("attendee_list",),
    "materials": ("materials",),
    "minutes": ("minutes", "resolution"),
    "recordings": ("recording",),
    "layout_drawing": ("layout_drawing", "venue_layout_drawing"),
    "equipment_list": ("equipment_list_doc", "equipment_list"),
    "contract_settlement": ("contract", "service_contract"),
    "summary_report": ("service_summary_report",),
}
