"""The requirement IDs of the catalogue, shipped with the app.

Written from ``/work/shared/spec/REQUIREMENTS.md``, which the application cannot read at run time.
``tests/rulebook/test_requirements_catalogue.py`` checks that this set equals the IDs in that file
whenever the file is present, so the two cannot drift apart unnoticed.

``parse_requirement_ids(text)`` reads the IDs from the catalogue's Markdown text (one bullet per
requirement: ``- REQ-XXX-NN text``); the test and anyone regenerating this module use it.
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = ["REQUIREMENTS", "REQ_IDS", "REQ_ID_PATTERN", "parse_requirement_ids"]

REQ_ID_PATTERN = r"^REQ-[A-Z]{3}-[0-9]{2}$"

_BULLET = re.compile(r"^- (REQ-[A-Z]{3}-[0-9]{2})\b", re.MULTILINE)


def parse_requirement_ids(text: str) -> list[str]:
    """The REQ IDs defined (as list bullets) in the catalogue text, in order of appearance."""
    return _BULLET.findall(text)


#: ID → one-line English title.
REQUIREMENTS: MappingProxyType[str, str] = MappingProxyType(
    {
        # GEN — scope, terms, principles (§1)
        "REQ-GEN-01": "Meeting types (editable list)",
        "REQ-GEN-02": "Out-of-scope meetings excluded from KPIs",
        "REQ-GEN-03": "Glossary of §1.3 terms in both languages",
        "REQ-GEN-04": "Service quality Q = S × E × P",
        "REQ-GEN-05": "Green-meeting measures checklist",
        # INT — intake and requirements (§2 overview, §2.1)
        "REQ-INT-01": "Initial contact steps with time limits",
        "REQ-INT-02": "Key intake steps with deadlines (24/48/72 h)",
        "REQ-INT-03": "Basic meeting information",
        "REQ-INT-04": "Service scope tiers (basic, standard, custom)",
        "REQ-INT-05": "5W2H completeness and requirement completeness index",
        "REQ-INT-06": "Budget, payment and refund policy",
        "REQ-INT-07": "Requirements list confirmed by the client; accuracy and error rate",
        # PLN — planning (§2.2, §3.2 CCP 2–3)
        "REQ-PLN-01": "Research and goals",
        "REQ-PLN-02": "Plan versions; final version frozen on client confirmation",
        "REQ-PLN-03": "Internal plan review (creativity, budget deviation, confirmation)",
        "REQ-PLN-04": "Risk assessment in the plan",
        "REQ-PLN-05": "Task list tracked to completion",
        # CON — contracts (§2.3)
        "REQ-CON-01": "Contract scope, quality standards and acceptance points",
        "REQ-CON-02": "Change requests at least 72 h ahead",
        "REQ-CON-03": "Cost impact of a change quantified",
        "REQ-CON-04": "Breach classes and remedies",
        "REQ-CON-05": "Contract and management document retention",
        # RES — resources, venues, suppliers
        "REQ-RES-01": "Resource total with custom coefficient α",
        "REQ-RES-02": "Resource configuration rules per attendee count",
        "REQ-RES-03": "On-site staffing by scale",
        "REQ-RES-04": "Venue suitability, layouts and floor area per person",
        "REQ-RES-05": "Bookings with confirmations; booking error rate",
        "REQ-RES-06": "Qualified supplier list with periodic evaluation",
        "REQ-RES-07": "Material acceptance and storage rules",
        "REQ-RES-08": "Equipment register, testing and maintenance",
        # PRE — execution preparation (§2.5, §3.3)
        "REQ-PRE-01": "Execution plan",
        "REQ-PRE-02": "Staff training before the meeting",
        "REQ-PRE-03": "Attendee communications",
        "REQ-PRE-04": "Cross-department review with deadlines",
        "REQ-PRE-05": "Materials design and production",
        # ONS — on-site control (§2.6, §3.2 CCP 6 and 8)
        "REQ-ONS-01": "Set-up finished 2 h before start",
        "REQ-ONS-02": "Electronic check-in",
        "REQ-ONS-03": "Equipment check sheet with thresholds",
        "REQ-ONS-04": "Environment (temperature, humidity, air, CO₂)",
        "REQ-ONS-05": "Time control on site",
        "REQ-ONS-06": "Progress report every 2 hours",
        "REQ-ONS-07": "Tear-down",
        "REQ-ONS-08": "Photo/video coverage and on-site satisfaction",
        "REQ-ONS-09": "Three-level liaison on site",
        # INC — incidents and emergencies
        "REQ-INC-01": "Incident levels I–IV",
        "REQ-INC-02": "Incident report content",
        "REQ-INC-03": "Command per incident level",
        "REQ-INC-04": "Response plans by incident type",
        "REQ-INC-05": "Measures and information release",
        "REQ-INC-06": "Incident report and response-plan review",
        "REQ-INC-07": "Drills",
        "REQ-INC-08": "Emergency resources per meeting",
        "REQ-INC-09": "Critical incident response time and priority coefficient",
        "REQ-INC-10": "Risk register",
        # TEC — technical support
        "REQ-TEC-01": "Support hours, hotline and maintenance",
        "REQ-TEC-02": "Technical fault log and failure rate",
        # FBK — feedback, satisfaction, complaints, improvement
        "REQ-FBK-01": "Satisfaction survey and scores",
        "REQ-FBK-02": "Feedback collection rate",
        "REQ-FBK-03": "Feedback timeline",
        "REQ-FBK-04": "Improvement actions and quarterly report",
        "REQ-FBK-05": "Client communication response times",
        "REQ-FBK-06": "Complaints with clocks and escalation",
        "REQ-FBK-07": "Client revisit rate and average satisfaction",
        "REQ-FBK-08": "Final service score α·S + β·E",
        # QLT — quality system
        "REQ-QLT-01": "Five phases with outputs and control points",
        "REQ-QLT-02": "Overall quality from weighted phase scores",
        "REQ-QLT-03": "The twelve critical control points",
        "REQ-QLT-04": "Service evaluation form and quality index",
        "REQ-QLT-05": "Service grades",
        "REQ-QLT-06": "Nonconformance and corrective/preventive action",
        "REQ-QLT-07": "Internal quality supervision and audits",
        "REQ-QLT-08": "Violations and accountability",
        "REQ-QLT-09": "KPIs and statistics",
        "REQ-QLT-10": "SOP library and quarterly optimisation meeting",
        "REQ-QLT-11": "Issues found and requirement match degree",
        # DOC — documents and confidentiality
        "REQ-DOC-01": "Document scope",
        "REQ-DOC-02": "Document naming rule",
        "REQ-DOC-03": "Archive, minutes and summary deadlines",
        "REQ-DOC-04": "Confidentiality and retention classes",
        "REQ-DOC-05": "Borrowing",
        "REQ-DOC-06": "Destruction",
        "REQ-DOC-07": "Electronic security and backups",
        "REQ-DOC-08": "Versions and updates",
        "REQ-DOC-09": "Confidentiality agreements",
        # PPL — people
        "REQ-PPL-01": "Roles and responsibilities",
        "REQ-PPL-02": "Capability dimensions and measures",
        "REQ-PPL-03": "Training plan",
        "REQ-PPL-04": "Behaviour rules",
        "REQ-PPL-05": "Performance evaluation",
    }
)

#: The set of known requirement IDs.
REQ_IDS: frozenset[str] = frozenset(REQUIREMENTS)
