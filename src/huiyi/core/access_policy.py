"""Who may reach every URL of Huiyi: one table, deny by default (issue 10; ARCHITECTURE.md, Users and access).

Every URL pattern of the project — pages and ``/api/v1/`` endpoints, as ``django.urls.get_resolver()`` lists
them — has one row in :data:`POLICY`, keyed by its URL name. A row says who may read it (``get``) and who may
change something through it (``write``), as an expression over the person asking:

``ANYONE``
    anonymous visitors too (sign-in, password reset, health, the API schema, reference pages);
``LINK``
    anonymous visitors holding a valid signed link of the row's ``link`` purpose (``huiyi.core.links``);
``STAFF``
    any signed-in member of staff, whatever their roles (lists show only what one may see);
``P("app.codename", …)`` / ``ALL(…)``
    a holder of one (all) of these Django permissions — granted by roles (``accounts/default_roles.yaml`` and
    each app's ``role_permissions.yaml``, read by :func:`role_permissions`); a superuser holds them all;
``ROLE("key", …)``
    a holder of one of these roles (where the code names a role of the standard rather than a permission);
``SEES``
    one who sees the record's meeting project: a member of its team, one holding a role with
    ``sees_unit_projects`` over its unit, or a superuser;
``MEMBER``
    a member of the record's project team (a superuser is not one by being a superuser);
``UNIT``
    one holding their role over the unit the record belongs to (its project's, its person's, its case's);
``SIGNED``
    one who signed the project's confidentiality agreement (REQ-DOC-09);
``SUPERUSER`` / ``NOBODY``
    an administrator / no one (the record's own person: its borrower, its subject, its requester).

Expressions combine with ``&``, ``|`` and ``~``. What is not granted is denied: a URL pattern missing from the
table fails the matrix test by name, and a person the expression does not name is refused:

* anonymous visitors are sent to the sign-in page (pages) or get 401 (API);
* signed-in people get 403, or 404 where the row ``hides`` the record: ``hides=True`` — from who does not see
  its project; an expression — from who it does not name (the record's existence is not confirmed to them);
* a refused write (POST for pages, the row's ``method`` for the API) changes nothing, and is answered as its
  ``refusal`` says: ``"status"`` (the default) 403/404 as above; ``"validation"`` — the view reads the
  request before it asks who writes: an empty request gets its validation errors (a page: the form again, or
  back with a message), a valid one 403/404 (the matrix asks API endpoints with any input taken as valid);
  ``"input"`` — who may write depends on what the request names (the project of a new record) or the service
  checks after reading it: an empty request is answered 400; ``"message"`` — refused with a message on the
  record's page (302).

``record`` names the kind of record the URL's ids point at (``None``: lists, dashboards, forms for a new
record of the organisation).

``tests/security/test_permission_matrix.py`` asks every row as anonymous, as a superuser, as a member of staff
without a role, and as a holder of each default role on the team of the record's project (holding the role
over the company) and outside it (in another company), and checks every cell against this table;
``tests/security/test_signed_links.py`` checks the signed-link pages. Object rules (each app's ``rules.py``)
are the implementation; this table is the policy they are checked against, written from the standard
(REQUIREMENTS.md), the duties of each role and the roles' permission data. Documents by class of
confidentiality: :data:`DOCUMENT_CLASSES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# --- who asks -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """Who asks: anonymous, or a signed-in user with at most one role, on the record's project team or not."""

    authenticated: bool
    superuser: bool = False
    role: str | None = None
    permissions: frozenset[str] = frozenset()
    member: bool = False  # on the team of the record's project
    in_unit: bool = (
        False  # holds the role over the unit of the record (its project's, its person's, its case's)
    )
    signed_agreement: bool = False  # signed the project's confidentiality agreement (REQ-DOC-07)
    link: bool = False  # holds a valid signed link for the page

    @property
    def sees(self) -> bool:
        return self.superuser or self.member or (self.in_unit and self.role in roles_seeing_unit_projects())

    def has(self, permission: str) -> bool:
        return self.superuser or permission in self.permissions

    def __str__(self) -> str:
        if not self.authenticated:
            return "anonymous"
        if self.superuser:
            return "superuser"
        who = self.role or "no-role"
        return f"{who} ({'member' if self.member else 'non-member'})"


class Who:
    """A predicate over a :class:`Subject`; combine with ``&``, ``|`` and ``~``."""

    def __init__(self, test, text: str):
        self._test, self.text = test, text

    def __call__(self, subject: Subject) -> bool:
        return bool(self._test(subject))

    def __and__(self, other: Who) -> Who:
        return Who(lambda s: self(s) and other(s), f"({self.text} & {other.text})")

    def __or__(self, other: Who) -> Who:
        return Who(lambda s: self(s) or other(s), f"({self.text} | {other.text})")

    def __invert__(self) -> Who:
        return Who(lambda s: not self(s), f"~{self.text}")

    def __repr__(self) -> str:
        return self.text


ANYONE = Who(lambda s: True, "ANYONE")
LINK = Who(lambda s: s.link, "LINK")
STAFF = Who(lambda s: s.authenticated, "STAFF")
SUPERUSER = Who(lambda s: s.superuser, "SUPERUSER")
SEES = Who(lambda s: s.authenticated and s.sees, "SEES")
MEMBER = Who(lambda s: s.authenticated and s.member, "MEMBER")
UNIT = Who(lambda s: s.authenticated and s.in_unit, "UNIT")
SIGNED = Who(lambda s: s.signed_agreement, "SIGNED")
NOBODY = Who(lambda s: False, "NOBODY")


def P(*permissions: str) -> Who:
    """Holds one of ``permissions`` (through a role; a superuser holds every permission)."""
    return Who(
        lambda s: s.authenticated and any(s.has(p) for p in permissions), f"P({', '.join(permissions)})"
    )


def ALL(*permissions: str) -> Who:
    """Holds every one of ``permissions``."""
    return Who(
        lambda s: s.authenticated and all(s.has(p) for p in permissions), f"ALL({', '.join(permissions)})"
    )


def ROLE(*keys: str) -> Who:
    """Holds one of the roles ``keys`` (a superuser holds no role by being one)."""
    return Who(lambda s: s.authenticated and s.role in keys, f"ROLE({', '.join(keys)})")


def on_project(who: Who) -> Who:
    """``who``, over a record of a project they see."""
    return SEES & who


@cache
def role_permissions() -> dict[str, frozenset[str]]:
    """Each default role's permissions, from the data (default_roles.yaml + every role_permissions.yaml)."""
    from huiyi.accounts.services import default_role_definitions

    return {key: frozenset(d.get("permissions", [])) for key, d in default_role_definitions().items()}


@cache
def roles_seeing_unit_projects() -> frozenset[str]:
    from huiyi.accounts.services import default_role_definitions

    return frozenset(k for k, d in default_role_definitions().items() if d.get("sees_unit_projects"))


# --- the table ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """Who may reach one URL pattern (see the module's docstring)."""

    name: str
    get: Who | None  # who may GET; None: the URL is not for GET (405 to everyone signed in)
    write: Who | None = None  # who may POST/PATCH/PUT/DELETE; None: read-only
    record: str | None = None  # the kind of record the URL's ids name
    hides: bool | Who = False  # who is not shown the record (True: its project) gets 404 rather than 403
    method: str = "post"  # the write method a test sends
    link: str | None = None  # the signed-link purpose that opens the page
    refusal: str = "status"  # how a refused write is answered: "status", "validation", "input", "message"
    note: str = ""

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    def shows_record_to(self, subject: Subject) -> bool:
        """Whether ``subject`` is told the record exists (refused with 403), or not (refused with 404)."""
        if isinstance(self.hides, Who):
            return self.hides(subject)
        return subject.sees if self.hides else True


def page(name, get, write=None, **kw) -> Access:
    return Access(name, get, write, **kw)


def post(name, write, **kw) -> Access:
    """A page that only changes something (POST); GET answers 405."""
    return Access(name, None, write, **kw)


def api(name, get, write=None, **kw) -> Access:
    return Access(f"api:{name}", get, write, **kw)


def api_post(name, write, **kw) -> Access:
    return Access(f"api:{name}", None, write, **kw)


# --- shared expressions -------------------------------------------------------------------------------------

#: Changes the project (its planner, manager, director, supervisors …) over a project they see.
MANAGES = SEES & P("projects.change_meetingproject")
#: Roles the standard names for contracts: approvers of changes, keepers of the contract (contracts/rules.py).
CONTRACT_APPROVERS = ("project_director", "project_manager")
CONTRACT_KEEPERS = (*CONTRACT_APPROVERS, "account_manager")
#: Organisation roles overseeing quality across the projects of their units (quality/rules.py).
QUALITY_ROLES = ("quality_officer", "project_director")
#: The meeting's leads approve borrowing and destruction of its documents (borrowing/disposition).
LEAD_ROLES = ("project_manager", "project_director")


def granted(permission: str) -> Who:
    """The common object rule: a role granting ``permission``, over a project one sees."""
    return SEES & P(permission)


#: The client forms ask for the role permission first (403), then for a client one sees (404).
SHOWN_CLIENT = ~P("clients.change_client", "clients.add_contact") | P("clients.view_client") | SEES

# --- foundation: sign-in, dashboard, organisation, clients, projects ---------------------------------------

FOUNDATION = [
    page("core:dashboard", STAFF),
    page("core:glossary", ANYONE, note="the standard's §1.3 terms: reference text, no organisation data"),
    page("core:audit", P("auditlog.view_logentry")),
    page("core:notifications", STAFF, STAFF, note="one's own notifications; POST marks them read"),
    page(
        "core:activity",
        SEES | P("auditlog.view_logentry"),
        record="project_history",
        note="an object's history: whoever may view the object (core.permissions.can_view)",
    ),
    page("accounts:login", ANYONE, ANYONE),
    page("accounts:logout", None, ANYONE, note="POST only (Django 5); signs out whoever asks"),
    page("accounts:password_change", STAFF),
    page("accounts:password_reset", ANYONE, ANYONE),
    page("accounts:password_reset_done", ANYONE),
    page("accounts:password_reset_confirm", ANYONE, ANYONE, record="password_reset"),
    page("accounts:password_reset_complete", ANYONE),
    page("accounts:organisation", P("accounts.view_orgunit"), note="or the units above one's own"),
    page("clients:list", STAFF, note="lists the clients one may see"),
    page("clients:create", P("clients.add_client"), P("clients.add_client")),
    page("clients:detail", P("clients.view_client") | SEES, record="client", hides=True),
    page(
        "clients:edit",
        P("clients.change_client"),
        P("clients.change_client"),
        record="client",
        hides=SHOWN_CLIENT,
    ),
    page(
        "clients:contact_add",
        P("clients.add_contact"),
        P("clients.add_contact"),
        record="client",
        hides=SHOWN_CLIENT,
    ),
    page("projects:list", STAFF, note="lists the projects one sees"),
    page("projects:create", P("projects.add_meetingproject"), P("projects.add_meetingproject")),
    page("projects:detail", SEES, record="project"),
    page("projects:edit", MANAGES, MANAGES, record="project"),
    post("projects:close_phase", MANAGES, record="project"),
    page("projects:timeline", SEES, record="project"),
    page("projects:team", SEES, MANAGES, record="project"),
    page("projects:green", STAFF, note="figures over the projects one sees"),
    page("set_language", ANYONE, ANYONE),
    page("javascript-catalog", ANYONE),
    page("healthz", ANYONE),
    api("token", None, ANYONE, note="exchanges a password for a token: no session needed"),
    api("me", STAFF),
    api("schema", ANYONE, note="the API's contract (OpenAPI) is public: it holds no organisation data"),
    api("docs", ANYONE, note="the schema's reader"),
    api("api-root", STAFF),
    api("user-list", STAFF, note="the users one may see"),
    api(
        "user-detail",
        P("accounts.view_user"),
        record="user",
        hides=P("accounts.view_user"),
        note="and oneself",
    ),
    api("orgunit-list", STAFF),
    api("orgunit-detail", P("accounts.view_orgunit"), record="org_unit", hides=True),
    api("client-list", STAFF, P("clients.add_client"), refusal="validation"),
    api(
        "client-detail",
        P("clients.view_client") | SEES,
        P("clients.change_client"),
        record="client",
        hides=True,
        method="patch",
    ),
    api("project-list", STAFF, P("projects.add_meetingproject"), refusal="validation"),
    api("project-detail", SEES, MANAGES, record="project", hides=True, method="patch"),
    api("project-member-list", SEES, MANAGES, record="project", hides=True, refusal="validation"),
    api("project-member-detail", None, MANAGES, record="project_member", hides=True, method="delete"),
    api_post("project-close-phase", MANAGES, record="project", hides=True),
    api("calendar-due", STAFF),
]

# --- intake (REQ-INT): inquiries, requirements list, the client's confirmation link -------------------------

INQUIRY_READERS = P("intake.view_inquiry")
INQUIRY_CHANGERS = SEES & P("intake.change_inquiry")
REQUIREMENTS_EDITORS = SEES & P("intake.change_requirementsrevision", "projects.change_meetingproject")
DISCREPANCY_RECORDERS = SEES & P("intake.add_discrepancy", "projects.change_meetingproject")

INTAKE = [
    page("intake:inquiries", INQUIRY_READERS),
    page("intake:inquiry_create", P("intake.add_inquiry"), P("intake.add_inquiry")),
    page("intake:inquiry", SEES & INQUIRY_READERS, record="inquiry"),
    post("intake:inquiry_step", INQUIRY_CHANGERS, record="inquiry_step"),
    post("intake:inquiry_convert", INQUIRY_CHANGERS & P("projects.add_meetingproject"), record="inquiry"),
    post("intake:inquiry_attach", INQUIRY_CHANGERS, record="inquiry"),
    page("intake:requirements", SEES, REQUIREMENTS_EDITORS, record="project"),
    post("intake:requirements_completeness", SEES, record="project"),
    page("intake:requirements_pdf", SEES, record="project"),
    post("intake:requirements_send", REQUIREMENTS_EDITORS, record="project"),
    post("intake:discrepancy_create", DISCREPANCY_RECORDERS, record="project"),
    page("intake:confirm", LINK, LINK, link="intake.requirements_confirmation"),
    api(
        "inquiry-list", STAFF, P("intake.add_inquiry"), refusal="validation", note="the inquiries one may see"
    ),
    api("inquiry-detail", INQUIRY_READERS & SEES, record="inquiry", hides=INQUIRY_READERS & SEES),
    api_post("inquiry-step", INQUIRY_CHANGERS, record="inquiry_step", hides=INQUIRY_READERS & SEES),
    api_post(
        "inquiry-convert",
        INQUIRY_CHANGERS & P("projects.add_meetingproject"),
        record="inquiry",
        hides=INQUIRY_READERS & SEES,
    ),
    api_post("inquiry-attach", INQUIRY_CHANGERS, record="inquiry", hides=INQUIRY_READERS & SEES),
    api("project-requirements", SEES, REQUIREMENTS_EDITORS, record="project", hides=True, method="patch"),
    api_post("project-requirements-send", REQUIREMENTS_EDITORS, record="project", hides=True),
    api("project-requirements-discrepancies", SEES, DISCREPANCY_RECORDERS, record="project", hides=True),
]

# --- planning (REQ-PLN): plan versions, internal review, the client's confirmation link ---------------------

PLAN_EDITORS = SEES & P("projects.change_meetingproject", "planning.change_planversion")
PLAN_REVIEWERS = SEES & (ROLE("project_director") | P("planning.add_planreview"))

PLANNING = [
    page("planning:project_plans", SEES, record="project", hides=True),
    post("planning:new_version", PLAN_EDITORS, record="project", hides=True),
    page("planning:version", SEES, record="plan", hides=True),
    post("planning:save_goals", PLAN_EDITORS, record="plan", hides=True),
    post("planning:add_line", PLAN_EDITORS, record="plan_add_line", hides=True),
    page("planning:edit_line", PLAN_EDITORS, PLAN_EDITORS, record="plan_line", hides=True),
    post("planning:delete_line", PLAN_EDITORS, record="plan_line", hides=True),
    post("planning:submit", PLAN_EDITORS, record="plan", hides=True),
    post("planning:review", PLAN_REVIEWERS, record="plan", hides=True),
    post("planning:conclude", PLAN_REVIEWERS, record="plan", hides=True),
    post("planning:send", PLAN_EDITORS, record="plan", hides=True),
    post("planning:upload_signed_copy", PLAN_EDITORS, record="plan", hides=True),
    page("planning:signed_copy", SEES, record="signed_copy", hides=True),
    page("planning:pdf", SEES, record="plan", hides=True),
    page("planning:confirm", LINK, LINK, link="planning.confirm"),
    api("project-plans", SEES, PLAN_EDITORS, record="project", hides=True),
    api("plan-detail", SEES, PLAN_EDITORS, record="plan", hides=True, method="patch"),
    api("plan-reviews", SEES, PLAN_REVIEWERS, record="plan", hides=True),
    api_post("plan-submit", PLAN_EDITORS, record="plan", hides=True),
    api_post("plan-conclude", PLAN_REVIEWERS, record="plan", hides=True),
    api_post("plan-send", PLAN_EDITORS, record="plan", hides=True),
    api("plan-signed-copies", SEES, PLAN_EDITORS, record="plan", hides=True),
]

# --- preparation (REQ-PRE): tasks, cross-department review, training, materials, communications ------------

#: A review step is answered by whoever manages the project, its reviewer, or a team member holding the
#: department's role (the fixture's step is the finance department's).
STEP_ANSWERERS = MANAGES | (SEES & MEMBER & ROLE("finance"))
#: Training of the team is recorded by whoever manages the project or its HR member.
TRAINING_RECORDERS = MANAGES | (SEES & MEMBER & ROLE("hr"))

PREPARATION = [
    page("preparation:tasks", SEES, record="project"),
    page("preparation:task_add", MANAGES, MANAGES, record="project"),
    page("preparation:task_edit", MANAGES, MANAGES, record="task"),
    post("preparation:task_done", MANAGES, record="task", note="or the task's owner"),
    post("preparation:review_start", MANAGES, record="project"),
    page("preparation:review_decide", STEP_ANSWERERS, STEP_ANSWERERS, record="review_step"),
    post("preparation:review_restart", STEP_ANSWERERS, record="review_step"),
    page("preparation:training_add", TRAINING_RECORDERS, TRAINING_RECORDERS, record="project"),
    page("preparation:training_attendance", TRAINING_RECORDERS, TRAINING_RECORDERS, record="prep_training"),
    page("preparation:host_add", TRAINING_RECORDERS, TRAINING_RECORDERS, record="project"),
    page("preparation:material_add", MANAGES, MANAGES, record="project"),
    page("preparation:material_decision", MANAGES, MANAGES, record="material"),
    post("preparation:material_link", MANAGES, record="material"),
    page("preparation:material_delivery", MANAGES, MANAGES, record="material"),
    page("preparation:approve", LINK, LINK, link="preparation.design_approval"),
    page("preparation:message_add", MANAGES, MANAGES, record="project"),
    post("preparation:message_responded", MANAGES, record="client_message"),
    page("preparation:attendee_add", MANAGES, MANAGES, record="project"),
    post("preparation:attendee_sent", MANAGES, record="attendee_comm"),
    page("preparation:team", SEES, record="project"),
    page("preparation:schedule_ics", SEES, record="project"),
    api("preparation-task-list", SEES, MANAGES, record="project", refusal="validation"),
    api("preparation-task-detail", SEES, MANAGES, record="task", method="delete"),
    api("preparation-review-list", SEES, MANAGES, record="project"),
    api("preparation-review-detail", SEES, STEP_ANSWERERS, record="review_step", method="patch"),
    api_post("preparation-review-restart", STEP_ANSWERERS, record="review_step"),
    api("preparation-training-list", SEES, TRAINING_RECORDERS, record="project", refusal="validation"),
    api("preparation-training-detail", SEES, TRAINING_RECORDERS, record="prep_training", method="patch"),
    api("preparation-host-evaluation-list", SEES, TRAINING_RECORDERS, record="project", refusal="validation"),
    api("preparation-material-list", SEES, MANAGES, record="project", refusal="validation"),
    api("preparation-material-detail", SEES, MANAGES, record="material", method="patch"),
    api_post("preparation-material-decision", MANAGES, record="material"),
    api_post("preparation-material-approval-link", MANAGES, record="material"),
    api("preparation-communication-list", SEES, MANAGES, record="project", refusal="validation"),
    api("preparation-communication-detail", SEES, MANAGES, record="client_message", method="patch"),
    api("preparation-attendee-communication-list", SEES, MANAGES, record="project", refusal="validation"),
    api("preparation-attendee-communication-detail", SEES, record="attendee_comm"),
    api_post("preparation-attendee-communication-sent", MANAGES, record="attendee_comm"),
]

# --- contracts (REQ-CON): contracts, change requests, breaches, the client's change link -------------------

CONTRACT_CHANGERS = SEES & (P("contracts.change_contract") | (MEMBER & ROLE(*CONTRACT_KEEPERS)))
CONTRACT_DELETERS = SEES & (P("contracts.delete_contract") | (MEMBER & ROLE(*CONTRACT_APPROVERS)))
CHANGE_APPROVERS = SEES & (P("contracts.approve_changerequest") | (MEMBER & ROLE(*CONTRACT_APPROVERS)))

CONTRACTS = [
    page("contracts:create", CONTRACT_CHANGERS, CONTRACT_CHANGERS, record="project", hides=True),
    page("contracts:detail", SEES, record="contract", hides=True, note="the whole team reads the contract"),
    page("contracts:edit", CONTRACT_CHANGERS, CONTRACT_CHANGERS, record="contract", hides=True),
    post("contracts:signed_copy_upload", CONTRACT_CHANGERS, record="contract", hides=True),
    page("contracts:signed_copy", SEES, record="contract", hides=True),
    post("contracts:sign", CONTRACT_CHANGERS, record="contract", hides=True),
    post("contracts:close", CONTRACT_CHANGERS, record="contract", hides=True),
    post("contracts:delete", CONTRACT_DELETERS, record="contract", hides=True),
    page("contracts:pdf", SEES, record="contract", hides=True),
    page("contracts:change_create", CONTRACT_CHANGERS, CONTRACT_CHANGERS, record="contract", hides=True),
    page("contracts:breach_create", CONTRACT_CHANGERS, CONTRACT_CHANGERS, record="contract", hides=True),
    post("contracts:change_approve", CHANGE_APPROVERS, record="change_request", hides=True),
    post("contracts:change_reject", CHANGE_APPROVERS, record="change_request", hides=True),
    post("contracts:change_client_link", CONTRACT_CHANGERS, record="change_request", hides=True),
    post("contracts:change_client_record", CONTRACT_CHANGERS, record="change_request", hides=True),
    page("contracts:client_change", LINK, LINK, link="contracts.change_request"),
    post("contracts:breach_remedy", CONTRACT_CHANGERS, record="breach", hides=True),
    api("project-contracts", SEES, CONTRACT_CHANGERS, record="project", hides=True, refusal="validation"),
    api("contract-detail", SEES, CONTRACT_DELETERS, record="contract", hides=True, method="delete"),
    api_post("contract-sign", CONTRACT_CHANGERS, record="contract", hides=True),
    api_post("contract-signed-copy", CONTRACT_CHANGERS, record="contract", hides=True, refusal="input"),
    api_post("contract-close", CONTRACT_CHANGERS, record="contract", hides=True),
    api(
        "contract-change-requests",
        SEES,
        CONTRACT_CHANGERS,
        record="contract",
        hides=True,
        refusal="input",
    ),
    api_post("contract-change-request-approve", CHANGE_APPROVERS, record="change_request", hides=True),
    api_post(
        "contract-change-request-client-confirmation", CONTRACT_CHANGERS, record="change_request", hides=True
    ),
    api_post(
        "contract-change-request-reject",
        CHANGE_APPROVERS,
        record="change_request",
        hides=True,
        refusal="input",
    ),
    api_post("contract-change-request-client-link", CONTRACT_CHANGERS, record="change_request", hides=True),
    api("contract-breaches", SEES, CONTRACT_CHANGERS, record="contract", hides=True, refusal="input"),
    api_post("contract-breach-remedy", CONTRACT_CHANGERS, record="breach", hides=True, refusal="input"),
]

# --- resources (REQ-RES): registers of the organisation, a project's bookings, the calculator --------------

EQUIPMENT_CHECKERS = MANAGES | (SEES & P("resources.add_equipmentcheck"))

RESOURCES = [
    page("resources:index", P("resources.view_venue")),
    page("resources:venues", P("resources.view_venue")),
    page("resources:venue_create", P("resources.add_venue"), P("resources.add_venue")),
    page("resources:venue", P("resources.view_venue"), record="venue"),
    page("resources:venue_edit", P("resources.change_venue"), P("resources.change_venue"), record="venue"),
    page("resources:room_create", P("resources.add_room"), P("resources.add_room"), record="venue"),
    page("resources:room_edit", P("resources.add_room"), P("resources.add_room"), record="room"),
    page("resources:equipment_list", P("resources.view_equipment")),
    page("resources:equipment_create", P("resources.add_equipment"), P("resources.add_equipment")),
    page(
        "resources:equipment",
        P("resources.view_equipment"),
        ALL("resources.view_equipment", "resources.change_equipment"),
        record="equipment",
    ),
    page("resources:spare_part_create", P("resources.add_sparepart"), P("resources.add_sparepart")),
    page("resources:suppliers", P("resources.view_supplier")),
    page("resources:supplier_create", P("resources.add_supplier"), P("resources.add_supplier")),
    page(
        "resources:supplier",
        P("resources.view_supplier"),
        ALL("resources.view_supplier", "resources.add_supplierscorecard"),
        record="supplier",
    ),
    page("resources:materials", P("resources.view_materialacceptance")),
    page(
        "resources:material_create",
        P("resources.add_materialacceptance"),
        P("resources.add_materialacceptance"),
    ),
    page("resources:calculator", STAFF),
    post(
        "resources:calculator_apply",
        P("projects.change_meetingproject"),
        refusal="validation",
        note="onto a project one changes",
    ),
    page("resources:project_bookings", SEES, record="project", hides=True),
    post("resources:booking_create", MANAGES, record="project", hides=True, refusal="validation"),
    post("resources:rehearsal", EQUIPMENT_CHECKERS, record="project", hides=True, refusal="validation"),
    post("resources:booking_confirm", MANAGES, record="booking", hides=True, refusal="validation"),
    post("resources:booking_cancel", MANAGES, record="booking", hides=True),
    post("resources:equipment_check", EQUIPMENT_CHECKERS, record="booking", hides=True),
    page("resources:booking_file", SEES, record="booking_file", hides=True),
    api_post("resources-calculate", STAFF),
    api(
        "venue-list",
        P("resources.view_venue"),
        ALL("resources.view_venue", "resources.add_venue"),
        refusal="validation",
    ),
    api(
        "venue-detail",
        P("resources.view_venue"),
        ALL("resources.view_venue", "resources.change_venue"),
        record="venue",
        method="patch",
    ),
    api(
        "equipment-list",
        P("resources.view_equipment"),
        ALL("resources.view_equipment", "resources.add_equipment"),
        refusal="validation",
    ),
    api(
        "equipment-detail",
        P("resources.view_equipment"),
        ALL("resources.view_equipment", "resources.change_equipment"),
        record="equipment",
        method="patch",
    ),
    api(
        "supplier-list",
        P("resources.view_supplier"),
        ALL("resources.view_supplier", "resources.add_supplier"),
        refusal="validation",
    ),
    api(
        "supplier-detail",
        P("resources.view_supplier"),
        ALL("resources.view_supplier", "resources.change_supplier"),
        record="supplier",
        method="patch",
    ),
    api(
        "venue-room-list",
        P("resources.view_venue"),
        ALL("resources.view_venue", "resources.add_room"),
        record="venue",
        refusal="validation",
    ),
    api(
        "venue-room-detail",
        P("resources.view_venue"),
        ALL("resources.view_venue", "resources.change_room"),
        record="room",
        method="patch",
    ),
    api("project-booking-list", SEES, MANAGES, record="project", hides=True, refusal="validation"),
    api("project-booking-detail", SEES, MANAGES, record="booking", hides=True, method="delete"),
    api("project-booking-check-rules", SEES, record="booking", hides=True),
    api("project-booking-checks", SEES, EQUIPMENT_CHECKERS, record="booking", hides=True, refusal="input"),
    api_post("project-booking-confirm", MANAGES, record="booking", hides=True, refusal="validation"),
    api(
        "project-rehearsal-list", SEES, EQUIPMENT_CHECKERS, record="project", hides=True, refusal="validation"
    ),
]

# --- on site (REQ-ONS): attendees and tickets, check-in, inspections, the live agenda ----------------------

ATTENDEE_READERS = granted("attendees.view_attendee")
ATTENDEE_ADDERS = granted("attendees.add_attendee")
ATTENDEE_CHANGERS = granted("attendees.change_attendee")
ATTENDEE_IMPORTERS = SEES & ALL("attendees.add_attendee", "attendees.change_attendee")
#: Scanning tickets and seeing ticket codes or their QR codes (badges carry them): attendees/rules.py.
SCANNERS = SEES & P("attendees.scan_ticket", "projects.change_meetingproject")
BOARD_READERS = SEES & P("checkin.view_board", "attendees.scan_ticket", "projects.change_meetingproject")
INSPECTION_READERS = SEES & P("inspections.view_inspectionround", "inspections.add_reading")
INSPECTION_RECORDERS = granted("inspections.add_reading")
MILESTONE_RECORDERS = granted("inspections.add_sitemilestone")
#: The roll-call: every member of the day's staff (the project's team) and the inspection roles.
ROLL_CALL_READERS = (SEES & MEMBER) | INSPECTION_READERS | granted("inspections.check_in_staff")
AGENDA_READERS = granted("liveagenda.view_agendaitem")
AGENDA_PLANNERS = granted("liveagenda.change_agendaitem")
AGENDA_CONTROLLERS = granted("liveagenda.control_agendaitem")

ONSITE = [
    page("onsite:index", STAFF, note="the meetings one sees"),
    page("onsite:cockpit", SEES, record="project"),
    page("attendees:list", ATTENDEE_READERS, record="project"),
    page("attendees:add", ATTENDEE_ADDERS, ATTENDEE_ADDERS, record="project"),
    page("attendees:import", ATTENDEE_IMPORTERS, ATTENDEE_IMPORTERS, record="project"),
    page(
        "attendees:import_mapping",
        NOBODY,
        NOBODY,
        record="attendee_import",
        hides=~ATTENDEE_IMPORTERS,
        note="opens the importer's own upload only: another's is 404 to importers",
    ),
    page(
        "attendees:export",
        ATTENDEE_READERS,
        record="project",
        note="contacts only with view_attendee_contact",
    ),
    page(
        "attendees:badges",
        ATTENDEE_READERS & SCANNERS,
        record="project",
        note="badges carry the tickets' QR codes",
    ),
    page("attendees:detail", ATTENDEE_READERS, record="attendee"),
    page("attendees:edit", ATTENDEE_CHANGERS, ATTENDEE_CHANGERS, record="attendee"),
    page("attendees:cancel", ATTENDEE_CHANGERS, ATTENDEE_CHANGERS, record="attendee"),
    post("attendees:reinstate", ATTENDEE_CHANGERS, record="attendee"),
    post("attendees:reissue", ATTENDEE_CHANGERS, record="attendee"),
    post("attendees:ticket_link", ATTENDEE_CHANGERS, record="attendee"),
    page(
        "attendees:badge",
        ATTENDEE_READERS & SCANNERS,
        record="attendee",
        note="a badge carries the ticket's QR code",
    ),
    page("attendees:ticket", LINK, link="attendees.ticket"),
    page("checkin:scan", SCANNERS, record="project"),
    page("checkin:board", BOARD_READERS, record="project"),
    page("checkin:board_live", BOARD_READERS, record="project"),
    page("checkin:panel", BOARD_READERS, record="project"),
    post("checkin:acknowledge", granted("checkin.acknowledge_conflict"), record="conflict"),
    page("inspections:home", INSPECTION_READERS, record="project", hides=True),
    page("inspections:round_new", INSPECTION_RECORDERS, INSPECTION_RECORDERS, record="project", hides=True),
    post("inspections:judge", INSPECTION_RECORDERS, record="project", hides=True),
    post("inspections:milestone", MILESTONE_RECORDERS, record="project", hides=True),
    page("inspections:roll_call", ROLL_CALL_READERS, ROLL_CALL_READERS, record="project", hides=True),
    page("inspections:panel", SEES, record="project", hides=True),
    page("inspections:round", INSPECTION_READERS, record="round", hides=True),
    post("inspections:round_complete", INSPECTION_RECORDERS, record="round", hides=True),
    page("inspections:correct", INSPECTION_RECORDERS, INSPECTION_RECORDERS, record="reading", hides=True),
    page("liveagenda:agenda", AGENDA_READERS, record="project"),
    page("liveagenda:panel", AGENDA_READERS, record="project"),
    page("liveagenda:item_add", AGENDA_PLANNERS, AGENDA_PLANNERS, record="project"),
    post("liveagenda:copy_plan", AGENDA_PLANNERS, record="project"),
    post("liveagenda:start_next", AGENDA_CONTROLLERS, record="project"),
    page("liveagenda:item_edit", AGENDA_PLANNERS, AGENDA_PLANNERS, record="agenda_item"),
    page("liveagenda:item_correct", AGENDA_CONTROLLERS, AGENDA_CONTROLLERS, record="agenda_item"),
    post("liveagenda:item_delete", AGENDA_PLANNERS, record="agenda_item"),
    post("liveagenda:item_start", AGENDA_CONTROLLERS, record="agenda_item"),
    post("liveagenda:item_end", AGENDA_CONTROLLERS, record="agenda_item"),
    post("liveagenda:answer_start", AGENDA_CONTROLLERS, record="agenda_item"),
    post("liveagenda:answer_end", AGENDA_CONTROLLERS, record="qa_answer"),
    page("liveagenda:reports", AGENDA_READERS, granted("liveagenda.add_progressreport"), record="project"),
    page("liveagenda:coverage", AGENDA_READERS, record="project"),
    post("liveagenda:coverage_generate", granted("liveagenda.add_coverageitem"), record="project"),
    page(
        "liveagenda:coverage_add",
        granted("liveagenda.add_coverageitem"),
        granted("liveagenda.add_coverageitem"),
        record="project",
    ),
    post("liveagenda:coverage_tick", granted("liveagenda.change_coverageitem"), record="coverage"),
    page(
        "liveagenda:satisfaction",
        AGENDA_READERS,
        granted("liveagenda.add_satisfactionentry"),
        record="project",
    ),
    page(
        "liveagenda:minutes_owner",
        granted("liveagenda.change_agendasettings"),
        granted("liveagenda.change_agendasettings"),
        record="project",
    ),
    api_post("checkin-redeem", P("attendees.scan_ticket", "projects.change_meetingproject")),
    api_post("checkin-checkout", P("attendees.scan_ticket", "projects.change_meetingproject")),
    api_post("checkin-sync", P("attendees.scan_ticket", "projects.change_meetingproject")),
    api_post("checkin-timings", P("attendees.scan_ticket", "projects.change_meetingproject")),
    api("checkin-search", SCANNERS, record="project"),
    api("attendee-list", ATTENDEE_READERS, ATTENDEE_ADDERS, record="project", refusal="validation"),
    api_post("attendee-import", ATTENDEE_IMPORTERS, record="project"),
    api("attendee-detail", ATTENDEE_READERS, ATTENDEE_CHANGERS, record="attendee", method="patch"),
    api_post("attendee-reissue-ticket", ATTENDEE_CHANGERS, record="attendee"),
    api("ticket-qr", SCANNERS, record="ticket", hides=True),
    api("inspections-round-list", INSPECTION_READERS, INSPECTION_RECORDERS, record="project", hides=True),
    api("inspections-round-detail", INSPECTION_READERS, record="round", hides=True),
    api_post("inspections-round-readings", INSPECTION_RECORDERS, record="round", hides=True),
    api_post("inspections-round-complete", INSPECTION_RECORDERS, record="round", hides=True),
    api("inspections-item-list", INSPECTION_READERS, record="project", hides=True),
    api("inspections-reading-list", INSPECTION_READERS, record="project", hides=True),
    api("inspections-reading-detail", INSPECTION_READERS, record="reading", hides=True),
    api_post("inspections-reading-correct", INSPECTION_RECORDERS, record="reading", hides=True),
    api("inspections-milestone-list", INSPECTION_READERS, MILESTONE_RECORDERS, record="project", hides=True),
    api("inspections-roll-call", ROLL_CALL_READERS, ROLL_CALL_READERS, record="project", hides=True),
    api("liveagenda-item-list", AGENDA_READERS, AGENDA_PLANNERS, record="project", refusal="validation"),
    api_post("liveagenda-start-next", AGENDA_CONTROLLERS, record="project"),
    api("liveagenda-item-detail", AGENDA_READERS, AGENDA_PLANNERS, record="agenda_item", method="patch"),
    api_post("liveagenda-item-start", AGENDA_CONTROLLERS, record="agenda_item"),
    api_post("liveagenda-item-end", AGENDA_CONTROLLERS, record="agenda_item"),
    api_post("liveagenda-answer-start", AGENDA_CONTROLLERS, record="agenda_item"),
    api_post("liveagenda-answer-end", AGENDA_CONTROLLERS, record="qa_answer"),
    api(
        "liveagenda-report-list",
        AGENDA_READERS,
        granted("liveagenda.add_progressreport"),
        record="project",
        refusal="validation",
    ),
    api(
        "liveagenda-coverage-list",
        AGENDA_READERS,
        granted("liveagenda.add_coverageitem"),
        record="project",
        refusal="validation",
    ),
    api_post("liveagenda-coverage-tick", granted("liveagenda.change_coverageitem"), record="coverage"),
    api(
        "liveagenda-satisfaction-list",
        AGENDA_READERS,
        granted("liveagenda.add_satisfactionentry"),
        record="project",
        refusal="validation",
    ),
    api(
        "liveagenda-settings",
        AGENDA_READERS,
        granted("liveagenda.change_agendasettings"),
        record="project",
        method="put",
    ),
]

# --- incidents and preparedness (REQ-INC) ------------------------------------------------------------------

INCIDENT_READERS = granted("incidents.view_incident")
INCIDENT_REPORTERS = granted("incidents.add_incident")
INCIDENT_MANAGERS = granted("incidents.manage_incident")
#: Acknowledging pages and stopping clocks: the incident's command chain, the project director (REQ-INC-03).
TIMER_HOLDERS = SUPERUSER | (SEES & MEMBER & ROLE("project_director"))
INCIDENT_RESPONDERS = INCIDENT_MANAGERS | (INCIDENT_READERS & TIMER_HOLDERS)
RESOURCE_CHECKERS = granted("preparedness.change_emergencyresource")
CONTACT_READERS = granted("preparedness.view_emergencycontact")
CONTACT_EDITORS = granted("preparedness.change_emergencycontact")
RISK_EDITORS = granted("preparedness.change_risk")

INCIDENTS = [
    page("incidents:list", P("incidents.view_incident")),
    page("incidents:project", INCIDENT_READERS, record="project"),
    page("incidents:report", INCIDENT_REPORTERS, INCIDENT_REPORTERS, record="project"),
    page("incidents:panel", INCIDENT_READERS, record="project"),
    post("incidents:confirm_calm", INCIDENT_MANAGERS, record="project"),
    page("incidents:drill_new", INCIDENT_MANAGERS, INCIDENT_MANAGERS, record="project"),
    page("incidents:detail", INCIDENT_READERS, record="incident"),
    page("incidents:live", INCIDENT_READERS, record="incident"),
    post("incidents:level", INCIDENT_MANAGERS, record="incident"),
    post("incidents:action", INCIDENT_RESPONDERS, record="incident"),
    post(
        "incidents:stop_clock", INCIDENT_READERS & TIMER_HOLDERS, record="incident_clock", refusal="message"
    ),
    post("incidents:resolve", INCIDENT_READERS & TIMER_HOLDERS, record="incident", refusal="message"),
    post("incidents:release", INCIDENT_RESPONDERS, record="incident"),
    post("incidents:close", INCIDENT_MANAGERS, record="incident"),
    page("incidents:report_pdf", INCIDENT_READERS, record="incident"),
    page("incidents:photo", INCIDENT_READERS, record="incident"),
    post("incidents:ack", INCIDENT_READERS & TIMER_HOLDERS, record="chain_step", refusal="message"),
    page("incidents:ack_link", LINK, LINK, link="incidents.ack"),
    post("incidents:tick", INCIDENT_RESPONDERS, record="incident_task"),
    page("incidents:plans", P("incidents.view_responseplan")),
    page(
        "incidents:plan",
        P("incidents.view_responseplan"),
        ALL("incidents.view_responseplan", "incidents.change_responseplan"),
        record="response_plan",
    ),
    page("incidents:drills", P("incidents.view_drill")),
    page("incidents:drill", INCIDENT_READERS, record="drill"),
    post("incidents:drill_run", INCIDENT_MANAGERS, record="drill"),
    post("incidents:drill_evaluate", INCIDENT_MANAGERS, record="drill"),
    api("incident-list", STAFF, INCIDENT_REPORTERS, refusal="input", note="the incidents one may see"),
    api("incident-detail", INCIDENT_READERS, record="incident", hides=True),
    api_post("incident-level", INCIDENT_MANAGERS, record="incident"),
    api_post("incident-stop-clock", INCIDENT_READERS & TIMER_HOLDERS, record="incident_clock"),
    api_post("incident-resolve", INCIDENT_READERS & TIMER_HOLDERS, record="incident"),
    api_post("incident-close", INCIDENT_MANAGERS, record="incident"),
    api("incident-chain", INCIDENT_READERS, record="incident"),
    api("incident-releases", INCIDENT_READERS, INCIDENT_RESPONDERS, record="incident"),
    api_post("incident-acknowledge", INCIDENT_READERS & TIMER_HOLDERS, record="chain_step"),
    api("response-plan-list", P("incidents.view_responseplan")),
    api("response-plan-detail", P("incidents.view_responseplan"), record="response_plan"),
    api("drill-list", STAFF, INCIDENT_MANAGERS, refusal="input", note="the drills one may see"),
    api("drill-detail", INCIDENT_READERS, record="drill", hides=True),
    page("preparedness:project", granted("preparedness.view_emergencyresource"), record="project"),
    page("preparedness:panel", SEES, record="project"),
    page("preparedness:resource_add", RESOURCE_CHECKERS, RESOURCE_CHECKERS, record="project"),
    page("preparedness:resource_check", RESOURCE_CHECKERS, RESOURCE_CHECKERS, record="resource_key"),
    page("preparedness:item_check", RESOURCE_CHECKERS, RESOURCE_CHECKERS, record="emergency_resource"),
    post("preparedness:resource_clear", RESOURCE_CHECKERS, record="emergency_resource"),
    page("preparedness:contact_add", CONTACT_EDITORS, CONTACT_EDITORS, record="project"),
    page("preparedness:contact_sheet", CONTACT_READERS, record="project"),
    post("preparedness:contacts_posted", granted("preparedness.change_contactsheet"), record="project"),
    post("preparedness:contacts_send", granted("preparedness.change_contactsheet"), record="project"),
    page("preparedness:contact_edit", CONTACT_EDITORS, CONTACT_EDITORS, record="emergency_contact"),
    post("preparedness:contact_delete", CONTACT_EDITORS, record="emergency_contact"),
    post("preparedness:import_plan_risks", granted("preparedness.add_risk"), record="project"),
    page("preparedness:risks", P("preparedness.view_risk")),
    page("preparedness:risk_add", P("preparedness.add_risk"), P("preparedness.add_risk")),
    page("preparedness:risk_edit", RISK_EDITORS, RISK_EDITORS, record="risk"),
    page("preparedness:risk_review", RISK_EDITORS, RISK_EDITORS, record="risk"),
    post("preparedness:risk_status", RISK_EDITORS, record="risk"),
    page("preparedness:channels", P("core.change_channelconfig", "core.view_delivery")),
    page("preparedness:channel_add", P("core.change_channelconfig"), P("core.change_channelconfig")),
    page(
        "preparedness:channel_edit",
        P("core.change_channelconfig"),
        P("core.change_channelconfig"),
        record="channel",
    ),
    post("preparedness:channel_test", P("core.change_channelconfig"), record="channel"),
    post("preparedness:delivery_retry", P("core.change_delivery"), record="delivery"),
    page(
        "preparedness:notification_deliveries",
        P("core.view_delivery"),
        record="notification",
        note="or the notification's recipient",
    ),
    page("preparedness:support", P("preparedness.change_supportdesk"), P("preparedness.change_supportdesk")),
    api(
        "preparedness-risk-list",
        STAFF,
        P("preparedness.add_risk"),
        refusal="validation",
        note="the risks one may see",
    ),
    api(
        "preparedness-risk-detail",
        granted("preparedness.view_risk"),
        RISK_EDITORS,
        record="risk",
        hides=granted("preparedness.view_risk"),
        method="patch",
    ),
    api(
        "preparedness-resource-list",
        granted("preparedness.view_emergencyresource"),
        RESOURCE_CHECKERS,
        record="project",
    ),
    api(
        "preparedness-contact-list", CONTACT_READERS, CONTACT_EDITORS, record="project", refusal="validation"
    ),
    api(
        "preparedness-contact-detail",
        CONTACT_READERS,
        CONTACT_EDITORS,
        record="emergency_contact",
        method="patch",
    ),
]

# --- feedback (REQ-FBK): surveys and revisits, complaints, improvement --------------------------------------

SURVEY_READERS = SEES & P("surveys.manage_surveys", "surveys.view_survey", "surveys.view_revisit")
SURVEY_MANAGERS = granted("surveys.manage_surveys")
REVISIT_RECORDERS = granted("surveys.add_revisit")
COMPLAINT_READERS = granted("complaints.view_complaint")
COMPLAINT_HANDLERS = granted("complaints.change_complaint")
IMPROVEMENT_READERS = granted("improvement.view_improvementaction")
ANALYSERS = granted("improvement.change_feedbackanalysis")
ACTION_MANAGERS = granted("improvement.change_improvementaction")

FEEDBACK = [
    page("surveys:project", SURVEY_READERS, record="project"),
    page("surveys:add", SURVEY_MANAGERS, SURVEY_MANAGERS, record="project"),
    page("surveys:revisit_add", REVISIT_RECORDERS, REVISIT_RECORDERS, record="project"),
    page("surveys:revisit_edit", REVISIT_RECORDERS, REVISIT_RECORDERS, record="revisit"),
    page("surveys:results", SURVEY_READERS, record="survey"),
    page("surveys:export_xlsx", SURVEY_READERS, record="survey"),
    page("surveys:export_pdf", SURVEY_READERS, record="survey"),
    page("surveys:qr", SURVEY_READERS, record="survey"),
    post("surveys:invite", SURVEY_MANAGERS, record="survey"),
    post("surveys:close", SURVEY_MANAGERS, record="survey"),
    post("surveys:reopen", SURVEY_MANAGERS, record="survey"),
    post("surveys:analysis", SURVEY_MANAGERS, record="survey"),
    post("surveys:attendee_link", SURVEY_MANAGERS, record="survey"),
    page("surveys:enter", SURVEY_MANAGERS, SURVEY_MANAGERS, record="survey"),
    page("surveys:templates", P("surveys.manage_surveys", "surveys.view_survey")),
    page("surveys:template_add", P("surveys.manage_surveys"), P("surveys.manage_surveys")),
    page(
        "surveys:template",
        P("surveys.manage_surveys", "surveys.view_survey"),
        P("surveys.manage_surveys"),
        record="survey_template",
    ),
    post("surveys:question_add", P("surveys.manage_surveys"), record="survey_template"),
    post("surveys:question", P("surveys.manage_surveys"), record="question"),
    page(
        "surveys:public",
        ANYONE,
        ANYONE,
        record="survey_code",
        note="the survey's public code (QR at the venue)",
    ),
    page("surveys:personal", LINK, LINK, link="surveys.answer"),
    api("survey-list", STAFF, SURVEY_MANAGERS, refusal="input", note="the surveys one may see"),
    api("survey-detail", SURVEY_READERS, record="survey", hides=SURVEY_READERS),
    api(
        "survey-response-list",
        STAFF,
        ANYONE,
        note="answering needs the invitation's link token or the survey's public code (or a survey manager)",
    ),
    api("survey-response-detail", SURVEY_READERS, record="survey_response", hides=SURVEY_READERS),
    api("revisit-list", STAFF, REVISIT_RECORDERS, refusal="input"),
    api(
        "revisit-detail",
        SEES & P("surveys.view_revisit", "surveys.manage_surveys"),
        REVISIT_RECORDERS,
        record="revisit",
        hides=SEES & P("surveys.view_revisit", "surveys.manage_surveys"),
        method="patch",
    ),
    page("complaints:list", P("complaints.view_complaint")),
    page(
        "complaints:new",
        granted("complaints.add_complaint"),
        granted("complaints.add_complaint"),
        record="project",
        hides=True,
    ),
    page(
        "complaints:links",
        granted("complaints.manage_complaint_links"),
        granted("complaints.manage_complaint_links"),
        record="project",
        hides=True,
    ),
    post(
        "complaints:revoke_link",
        granted("complaints.manage_complaint_links"),
        record="complaint_link",
        hides=True,
    ),
    page("complaints:panel", SEES, record="project", hides=True),
    page("complaints:detail", COMPLAINT_READERS, record="complaint", hides=True, note="or its owner"),
    post("complaints:acknowledge", COMPLAINT_HANDLERS, record="complaint", hides=True),
    post("complaints:start", COMPLAINT_HANDLERS, record="complaint", hides=True),
    post("complaints:pause", COMPLAINT_HANDLERS, record="complaint", hides=True),
    post("complaints:resume", COMPLAINT_HANDLERS, record="complaint", hides=True),
    post("complaints:resolve", COMPLAINT_HANDLERS, record="complaint", hides=True),
    post("complaints:close", granted("complaints.close_complaint"), record="complaint", hides=True),
    post("complaints:reopen", granted("complaints.close_complaint"), record="complaint", hides=True),
    post("complaints:escalate", granted("complaints.escalate_complaint"), record="complaint", hides=True),
    post("complaints:severity", COMPLAINT_HANDLERS, record="complaint", hides=True),
    post("complaints:assign", COMPLAINT_HANDLERS, record="complaint", hides=True),
    post("complaints:raise_nc", granted("complaints.raise_nonconformance"), record="complaint", hides=True),
    post("complaints:attach", COMPLAINT_HANDLERS, record="complaint", hides=True),
    page("complaints:attachment", COMPLAINT_READERS, record="complaint_attachment", hides=True),
    page("complaints:public", LINK, LINK, link="complaints.public_form"),
    page("complaints:public_received", LINK, link="complaints.public_form"),
    api(
        "complaint-list",
        P("complaints.view_complaint"),
        granted("complaints.add_complaint"),
        refusal="input",
        note="the complaints one may see",
    ),
    api("complaint-detail", COMPLAINT_READERS, record="complaint", hides=True),
    api_post("complaint-acknowledge", COMPLAINT_HANDLERS, record="complaint", hides=True),
    api_post("complaint-start", COMPLAINT_HANDLERS, record="complaint", hides=True),
    api_post("complaint-pause", COMPLAINT_HANDLERS, record="complaint", hides=True),
    api_post("complaint-resume", COMPLAINT_HANDLERS, record="complaint", hides=True),
    api_post("complaint-resolve", COMPLAINT_HANDLERS, record="complaint", hides=True),
    api_post("complaint-close", granted("complaints.close_complaint"), record="complaint", hides=True),
    api_post("complaint-reopen", granted("complaints.close_complaint"), record="complaint", hides=True),
    api_post("complaint-escalate", granted("complaints.escalate_complaint"), record="complaint", hides=True),
    api_post("complaint-severity", COMPLAINT_HANDLERS, record="complaint", hides=True),
    api_post(
        "complaint-raise-nonconformance",
        granted("complaints.raise_nonconformance"),
        record="complaint",
        hides=True,
    ),
    page("improvement:actions", P("improvement.view_improvementaction")),
    page(
        "improvement:quarterly",
        P("improvement.view_improvementaction"),
        P("improvement.change_quarterlyreport"),
    ),
    page("improvement:quarterly_pdf", P("improvement.view_improvementaction")),
    page("improvement:quarterly_xlsx", P("improvement.view_improvementaction")),
    page("improvement:project", IMPROVEMENT_READERS, record="project"),
    post("improvement:issue_add", ANALYSERS, record="project"),
    post("improvement:prefill", ANALYSERS, record="project"),
    post("improvement:line_add", ANALYSERS, record="project"),
    post("improvement:analysis_complete", ANALYSERS, record="project"),
    post("improvement:analysis_reopen", ANALYSERS, record="project"),
    page("improvement:analysis_pdf", IMPROVEMENT_READERS, record="project"),
    page("improvement:plan_pdf", IMPROVEMENT_READERS, record="project"),
    page("improvement:plan_xlsx", IMPROVEMENT_READERS, record="project"),
    page("improvement:action_add", ACTION_MANAGERS, ACTION_MANAGERS, record="project"),
    post("improvement:issue_delete", ANALYSERS, record="analysis_issue"),
    post("improvement:line_delete", ANALYSERS, record="strength_weakness"),
    page("improvement:action_edit", ACTION_MANAGERS, ACTION_MANAGERS, record="improvement_action"),
    post(
        "improvement:action_start", ACTION_MANAGERS, record="improvement_action", note="or the action's owner"
    ),
    page(
        "improvement:action_done",
        ACTION_MANAGERS,
        ACTION_MANAGERS,
        record="improvement_action",
        note="or the action's owner",
    ),
    page(
        "improvement:action_evaluate",
        granted("improvement.evaluate_effect"),
        granted("improvement.evaluate_effect"),
        record="improvement_action",
    ),
    post("improvement:action_delete", ACTION_MANAGERS, record="improvement_action"),
    api(
        "improvement-action-list",
        P("improvement.view_improvementaction"),
        ACTION_MANAGERS,
        refusal="input",
        note="the actions one may see",
    ),
    api(
        "improvement-action-detail",
        IMPROVEMENT_READERS,
        ACTION_MANAGERS,
        record="improvement_action",
        hides=~P("improvement.view_improvementaction") | SEES,
        method="patch",
        refusal="input",
        note="each field by its own permission: an empty change is a no-op",
    ),
]

# --- closing (CCP 10–12) ------------------------------------------------------------------------------------

CLOSING_READERS = SEES & P(
    "closing.view_lostitem",
    "closing.view_settlement",
    "closing.view_serviceevaluation",
    "closing.view_summaryreport",
)
SITE_KEEPERS = granted("closing.add_lostitem")
SETTLERS = granted("closing.change_settlement")

CLOSING = [
    page("closing:project", CLOSING_READERS, record="project", hides=True),
    post("closing:lost_add", SITE_KEEPERS, record="project", hides=True),
    post("closing:lost_return", SITE_KEEPERS, record="lost_item", hides=True),
    post("closing:lost_dispose", SITE_KEEPERS, record="lost_item", hides=True),
    post("closing:site_check", SITE_KEEPERS, record="project", hides=True),
    post("closing:archive", SITE_KEEPERS, record="archive_key", hides=True),
    post("closing:settlement", SETTLERS, record="project", hides=True),
    post("closing:invoice_add", SETTLERS, record="project", hides=True),
    post("closing:invoice_correct", SETTLERS, record="invoice", hides=True),
    post("closing:payment_add", SETTLERS, record="project", hides=True),
    post("closing:payment_paid", SETTLERS, record="payment", hides=True),
    post("closing:dispute_add", SETTLERS, record="project", hides=True),
    post("closing:dispute_resolve", SETTLERS, record="dispute", hides=True),
    post("closing:evaluation", granted("closing.change_serviceevaluation"), record="project", hides=True),
    post("closing:report_generate", granted("closing.add_summaryreport"), record="project", hides=True),
    page(
        "closing:report_download", granted("closing.view_summaryreport"), record="summary_report", hides=True
    ),
    api("closing-settlement-list", STAFF, SETTLERS, refusal="input", note="the settlements one may read"),
    api(
        "closing-settlement-detail",
        granted("closing.view_settlement"),
        SETTLERS,
        record="settlement",
        hides=granted("closing.view_settlement"),
        method="patch",
    ),
    api_post(
        "closing-settlement-invoices", SETTLERS, record="settlement", hides=granted("closing.view_settlement")
    ),
    api_post(
        "closing-settlement-disputes", SETTLERS, record="settlement", hides=granted("closing.view_settlement")
    ),
    api_post(
        "closing-settlement-paid",
        SETTLERS,
        record="settlement_payment",
        hides=granted("closing.view_settlement"),
    ),
    api(
        "closing-lost-list",
        granted("closing.view_lostitem"),
        SITE_KEEPERS,
        record="project",
        refusal="validation",
    ),
    api("closing-lost-detail", granted("closing.view_lostitem"), record="lost_item"),
]

# --- documents (REQ-DOC): controlled documents, disposition, borrowing, search ------------------------------

#: Reading a document of the medium class: a role granting documents.view_document over a project one sees
#: (the other classes: DOCUMENT_CLASSES below).
DOCUMENT_READERS = granted("documents.view_document")
DOCUMENT_FILERS = granted("documents.add_document")
#: Borrowing (REQ-DOC-05): the meeting's leads (team members holding a lead role) approve, keepers hand out.
BORROWING_LEADS = SEES & MEMBER & ROLE(*LEAD_ROLES)
BORROWING_READERS = (
    BORROWING_LEADS | granted("borrowing.view_borrowing") | granted("borrowing.keep_borrowing")
)
#: Destruction is approved by the meeting's lead or a director over its unit, not the requester (REQ-DOC-06).
DESTRUCTION_APPROVERS = (
    DOCUMENT_READERS & MEMBER & ROLE(*LEAD_ROLES) & P("disposition.approve_dispositionrequest")
)

#: Who is shown a destruction request: who may read the document and view requests, or approves them.
DISPOSITION_READERS = DOCUMENT_READERS & (P("disposition.view_dispositionrequest") | DESTRUCTION_APPROVERS)

DOCUMENTS = [
    page("documents:index", P("documents.view_document")),
    page("documents:project", DOCUMENT_READERS, record="project", hides=True),
    page("documents:new", DOCUMENT_FILERS, DOCUMENT_FILERS, record="project", hides=True),
    post("documents:sign_agreement", SEES & MEMBER, record="project", hides=True, note="only the team signs"),
    post("documents:file_outputs", DOCUMENT_FILERS, record="project", hides=True),
    page("documents:detail", DOCUMENT_READERS, record="document", hides=DOCUMENT_READERS),
    post(
        "documents:version_add",
        granted("documents.add_documentversion"),
        record="document",
        hides=DOCUMENT_READERS,
    ),
    page("documents:download", DOCUMENT_READERS, record="document_version", hides=DOCUMENT_READERS),
    page("documents:access_log", P("documents.view_accesslog")),
    page("docsearch:search", P("documents.view_document")),
    page("disposition:queue", P("disposition.view_dispositionrequest")),
    page(
        "disposition:project",
        SEES & P("disposition.view_dispositionrequest"),
        record="project",
        hides=~P("disposition.view_dispositionrequest") | SEES,
    ),
    post(
        "disposition:request_new",
        DOCUMENT_READERS & P("disposition.add_dispositionrequest"),
        record="document",
        hides=DOCUMENT_READERS,
    ),
    post("disposition:hold", granted("documents.change_document"), record="document", hides=DOCUMENT_READERS),
    post(
        "disposition:release", granted("documents.change_document"), record="document", hides=DOCUMENT_READERS
    ),
    page("disposition:request", DISPOSITION_READERS, record="disposition_request", hides=DISPOSITION_READERS),
    post(
        "disposition:approve",
        DESTRUCTION_APPROVERS,
        record="disposition_request",
        hides=DISPOSITION_READERS,
        refusal="message",
    ),
    post(
        "disposition:reject",
        DESTRUCTION_APPROVERS,
        record="disposition_request",
        hides=DISPOSITION_READERS,
        refusal="message",
    ),
    post(
        "disposition:withdraw",
        NOBODY,
        record="disposition_request",
        hides=DISPOSITION_READERS,
        refusal="message",
        note="only the requester withdraws",
    ),
    post(
        "disposition:destroy",
        DOCUMENT_READERS & P("disposition.destroy_document"),
        record="disposition_request",
        hides=DISPOSITION_READERS,
    ),
    page("disposition:records", P("disposition.view_destructionrecord")),
    page("disposition:record", P("disposition.view_destructionrecord"), record="destruction_record"),
    page("borrowing:mine", STAFF),
    page("borrowing:approvals", STAFF, note="the borrowings one decides"),
    page("borrowing:project", BORROWING_READERS, record="project", hides=True),
    page("borrowing:new", P("borrowing.add_borrowing"), P("borrowing.add_borrowing")),
    page(
        "borrowing:detail",
        BORROWING_READERS,
        record="borrowing",
        hides=BORROWING_READERS,
        note="and its borrower",
    ),
    post(
        "borrowing:approve",
        BORROWING_LEADS,
        record="borrowing",
        hides=BORROWING_READERS,
        refusal="message",
        note="never the borrower",
    ),
    post("borrowing:reject", BORROWING_LEADS, record="borrowing", hides=BORROWING_READERS, refusal="message"),
    post(
        "borrowing:hand_out",
        granted("borrowing.keep_borrowing"),
        record="borrowing",
        hides=BORROWING_READERS,
        refusal="message",
    ),
    post(
        "borrowing:return",
        BORROWING_LEADS | granted("borrowing.keep_borrowing"),
        record="borrowing",
        hides=BORROWING_READERS,
        refusal="message",
    ),
    post(
        "borrowing:cancel",
        NOBODY,
        record="borrowing",
        hides=BORROWING_READERS,
        refusal="message",
        note="only the borrower",
    ),
    post(
        "borrowing:agreement",
        NOBODY,
        record="borrowing",
        hides=BORROWING_READERS,
        refusal="message",
        note="only the borrower signs",
    ),
    api(
        "documents-list",
        STAFF,
        DOCUMENT_FILERS,
        refusal="input",
        note="lists the documents one may read",
    ),
    api("documents-detail", DOCUMENT_READERS, record="document", hides=DOCUMENT_READERS),
    api_post(
        "documents-versions",
        granted("documents.add_documentversion"),
        record="document",
        hides=DOCUMENT_READERS,
    ),
    api("documents-download", DOCUMENT_READERS, record="document", hides=DOCUMENT_READERS),
    api("documents-access-log", P("documents.view_accesslog")),
    api("documents-search", P("documents.view_document")),
    api(
        "disposition-list",
        P("disposition.view_dispositionrequest"),
        P("disposition.add_dispositionrequest"),
        refusal="input",
    ),
    api("disposition-queue", P("disposition.view_dispositionrequest")),
    api("disposition-detail", DISPOSITION_READERS, record="disposition_request"),
    api_post("disposition-approve", DESTRUCTION_APPROVERS, record="disposition_request"),
    api_post("disposition-reject", DESTRUCTION_APPROVERS, record="disposition_request"),
    api_post("disposition-withdraw", NOBODY, record="disposition_request", note="only the requester"),
    api_post(
        "disposition-destroy",
        DOCUMENT_READERS & P("disposition.destroy_document"),
        record="disposition_request",
    ),
    api("destruction-record-list", P("disposition.view_destructionrecord")),
    api("destruction-record-detail", P("disposition.view_destructionrecord"), record="destruction_record"),
    api(
        "legal-hold-list",
        STAFF,
        P("documents.change_document"),
        refusal="input",
        note="the holds of documents one may read",
    ),
    api(
        "borrowings-list",
        STAFF,
        P("borrowing.add_borrowing"),
        refusal="input",
        note="the borrowings one may see",
    ),
    api("borrowings-detail", BORROWING_READERS, record="borrowing", hides=BORROWING_READERS),
    api_post("borrowings-approve", BORROWING_LEADS, record="borrowing", hides=BORROWING_READERS),
    api_post(
        "borrowings-reject",
        BORROWING_LEADS,
        record="borrowing",
        hides=BORROWING_READERS,
        refusal="input",
    ),
    api_post(
        "borrowings-hand-out",
        granted("borrowing.keep_borrowing"),
        record="borrowing",
        hides=BORROWING_READERS,
    ),
    api_post(
        "borrowings-return",
        BORROWING_LEADS | granted("borrowing.keep_borrowing"),
        record="borrowing",
        hides=BORROWING_READERS,
    ),
]

# --- people (REQ-PPL) ---------------------------------------------------------------------------------------

#: HR and the quality officer see and manage everyone; a director the staff of their units (UNIT: the person
#: works in a unit under the one the director holds the role over).
PEOPLE_ORG_WIDE = P("people.view_staffprofile")
PEOPLE_MANAGERS = PEOPLE_ORG_WIDE | (UNIT & P("people.view_unit_staff"))

#: Reviews are written by roles granting people.add_performancereview over those they manage, never oneself.
REVIEWERS = P("people.add_performancereview") & PEOPLE_MANAGERS

PEOPLE = [
    page(
        "people:list",
        STAFF,
        note="without people.view_staffprofile or view_unit_staff: sent to one's own record",
    ),
    page("people:me", STAFF),
    page("people:detail", PEOPLE_MANAGERS, record="person", hides=PEOPLE_MANAGERS, note="and oneself"),
    page(
        "people:edit",
        P("people.change_staffprofile"),
        P("people.change_staffprofile"),
        record="person",
        hides=PEOPLE_MANAGERS,
    ),
    page(
        "people:certification_new",
        P("people.change_staffprofile"),
        P("people.change_staffprofile"),
        record="person",
        hides=PEOPLE_MANAGERS,
    ),
    post(
        "people:feedback",
        PEOPLE_MANAGERS,
        record="person",
        hides=PEOPLE_MANAGERS,
        note="colleagues of one's units give feedback, never on themselves",
    ),
    page("people:review_new", REVIEWERS, REVIEWERS, record="person", hides=PEOPLE_MANAGERS),
    page(
        "people:certification_edit",
        P("people.change_staffprofile"),
        P("people.change_staffprofile"),
        record="certification",
        hides=PEOPLE_MANAGERS,
    ),
    post(
        "people:certification_delete",
        P("people.change_staffprofile"),
        record="certification",
        hides=PEOPLE_MANAGERS,
    ),
    page("people:training", P("people.view_modulesession")),
    page("people:module", P("people.add_modulesession"), P("people.add_modulesession"), record="module_key"),
    page("people:sessions", P("people.view_modulesession")),
    page("people:session_new", P("people.add_modulesession"), P("people.add_modulesession")),
    page(
        "people:session",
        P("people.view_modulesession"),
        P("people.add_modulesession"),
        record="module_session",
    ),
    page(
        "people:reviews",
        STAFF,
        note="without people.view_staffprofile or view_unit_staff: sent to one's own record",
    ),
    page(
        "people:review",
        PEOPLE_MANAGERS,
        record="performance_review",
        hides=PEOPLE_MANAGERS,
        note="and its subject and reviewer",
    ),
    page("people:review_edit", REVIEWERS, REVIEWERS, record="performance_review", hides=PEOPLE_MANAGERS),
    post("people:review_submit", REVIEWERS, record="performance_review", hides=PEOPLE_MANAGERS),
    post(
        "people:review_acknowledge",
        NOBODY,
        record="performance_review",
        hides=PEOPLE_MANAGERS,
        refusal="message",
        note="only its subject",
    ),
    post("people:review_link", REVIEWERS, record="performance_review", hides=PEOPLE_MANAGERS),
    api("staff-list", STAFF, note="the people one may see"),
    api("staff-detail", PEOPLE_MANAGERS, record="person", hides=PEOPLE_MANAGERS),
    api("training-list", P("people.view_modulesession"), P("people.add_modulesession")),
    api("training-detail", P("people.view_modulesession"), record="module_session"),
    api_post("training-attendance", P("people.add_modulesession"), record="module_session"),
]

# --- the standard as data: rulebook, calendar ---------------------------------------------------------------

RULEBOOK_CHANGERS = P("rulebook.change_rulebookversion")

STANDARD = [
    page("rulebook:browse", STAFF),
    page("rulebook:rule", STAFF, record="rule"),
    page("rulebook:versions", STAFF),
    page("rulebook:version", STAFF, record="rulebook_version"),
    post("rulebook:clone", RULEBOOK_CHANGERS, record="rulebook_version"),
    post("rulebook:activate", RULEBOOK_CHANGERS, record="rulebook_version"),
    page("rulebook:rule_edit", RULEBOOK_CHANGERS, RULEBOOK_CHANGERS, record="rulebook_rule"),
    page("rulebook:diff", STAFF),
    api("rulebook-active", STAFF),
    api("rulebook-version-list", STAFF),
    api("rulebook-version-detail", STAFF, record="rulebook_version"),
    api_post("rulebook-check", STAFF),
    page("calendar:year", STAFF),
    page("calendar:day_new", P("workcalendar.change_calendarday"), P("workcalendar.change_calendarday")),
    page(
        "calendar:day_edit",
        P("workcalendar.change_calendarday"),
        P("workcalendar.change_calendarday"),
        record="calendar_day",
    ),
    post("calendar:day_delete", P("workcalendar.delete_calendarday"), record="calendar_day"),
    post("calendar:import", P("workcalendar.add_calendarday")),
]

# --- quality (REQ-QLT): scorecards and nonconformances, audits, accountability, SOPs, KPIs ------------------

QUALITY_MANAGERS = (
    SUPERUSER | (SEES & MEMBER & P("projects.change_meetingproject")) | (SEES & ROLE(*QUALITY_ROLES))
)
#: Violations are seen by the roles the rulebook names (qlt.violation.visible_to) over the case's unit.
VIOLATION_OVERSEERS = SUPERUSER | (UNIT & P("accountability.view_violation"))

#: The monthly KPI report's recipients: the roles of its setting (the demo's: quality officer, director).
KPI_REPORT_ROLES = ("quality_officer", "project_director")

QUALITY = [
    page("quality:scorecard", SEES, record="project"),
    post("quality:evaluate", QUALITY_MANAGERS, record="project"),
    post("quality:measure", QUALITY_MANAGERS, record="project_rule"),
    page("quality:nonconformances", STAFF, note="the nonconformances of the projects one sees"),
    page("quality:nonconformance", SEES, record="nonconformance"),
    post("quality:nonconformance_step", QUALITY_MANAGERS, record="nonconformance_step", note="or its owner"),
    page("quality:check", STAFF, STAFF, note="checks figures against the rulebook; changes nothing"),
    api("project-quality", SEES, record="project", hides=True),
    api_post("project-evaluate", QUALITY_MANAGERS, record="project", hides=True),
    api("nonconformance-list", STAFF),
    api("nonconformance-detail", SEES, record="nonconformance", hides=True),
    page("audits:list", STAFF, note="the audits one may see"),
    page("audits:new", P("audits.add_audit"), P("audits.add_audit")),
    page("audits:compliance", P("audits.view_audit")),
    page(
        "audits:detail",
        P("audits.view_audit"),
        record="audit",
        hides=P("audits.view_audit"),
        note="and its team and auditees",
    ),
    post(
        "audits:start",
        SUPERUSER,
        record="audit",
        hides=P("audits.view_audit"),
        note="the audit's team conducts it",
    ),
    post(
        "audits:assess", SUPERUSER, record="audit_item", hides=P("audits.view_audit"), note="the audit's team"
    ),
    post("audits:complete", SUPERUSER, record="audit", hides=P("audits.view_audit"), note="the audit's team"),
    post("audits:close", P("audits.close_audit"), record="audit", hides=P("audits.view_audit")),
    page("audits:report", P("audits.view_audit"), record="audit", hides=P("audits.view_audit")),
    api("audit-list", STAFF, P("audits.add_audit"), note="the audits one may see"),
    api("audit-findings", STAFF, note="the findings of the audits one may see"),
    api("audit-detail", P("audits.view_audit"), record="audit", hides=P("audits.view_audit")),
    api_post("audit-start", SUPERUSER, record="audit", hides=P("audits.view_audit")),
    api_post("audit-complete", SUPERUSER, record="audit", hides=P("audits.view_audit")),
    api_post("audit-close", P("audits.close_audit"), record="audit", hides=P("audits.view_audit")),
    api("audit-items", P("audits.view_audit"), record="audit", hides=P("audits.view_audit")),
    api_post("audit-item-assess", SUPERUSER, record="audit_item", hides=P("audits.view_audit")),
    page("accountability:list", STAFF, note="the cases one may see"),
    page("accountability:new", P("accountability.add_violation"), P("accountability.add_violation")),
    page(
        "accountability:detail",
        VIOLATION_OVERSEERS,
        record="violation",
        hides=VIOLATION_OVERSEERS,
        note="and the person concerned",
    ),
    post(
        "accountability:step",
        VIOLATION_OVERSEERS & P("accountability.investigate_violation"),
        record="violation_step",
        hides=VIOLATION_OVERSEERS,
    ),
    api("violation-list", STAFF, P("accountability.add_violation")),
    api("violation-detail", VIOLATION_OVERSEERS, record="violation", hides=VIOLATION_OVERSEERS),
    api_post(
        "violation-investigate",
        VIOLATION_OVERSEERS & P("accountability.investigate_violation"),
        record="violation",
        hides=VIOLATION_OVERSEERS,
    ),
    api_post(
        "violation-determine",
        VIOLATION_OVERSEERS & P("accountability.investigate_violation"),
        record="violation",
        hides=VIOLATION_OVERSEERS,
    ),
    api_post(
        "violation-sanction",
        VIOLATION_OVERSEERS & P("accountability.sanction_violation"),
        record="violation",
        hides=VIOLATION_OVERSEERS,
    ),
    api_post(
        "violation-appeal",
        NOBODY,
        record="violation",
        hides=VIOLATION_OVERSEERS,
        refusal="input",
        note="only the person concerned appeals",
    ),
    api_post(
        "violation-decide-appeal",
        VIOLATION_OVERSEERS & P("accountability.sanction_violation"),
        record="violation",
        hides=VIOLATION_OVERSEERS,
    ),
    api_post(
        "violation-close",
        VIOLATION_OVERSEERS & P("accountability.sanction_violation"),
        record="violation",
        hides=VIOLATION_OVERSEERS,
    ),
    page("sop:list", STAFF),
    page("sop:new", P("sop.add_procedure"), P("sop.add_procedure")),
    page("sop:meeting_new", P("sop.add_optimisationmeeting"), P("sop.add_optimisationmeeting")),
    page("sop:meeting", STAFF, record="sop_meeting"),
    page("sop:detail", STAFF, record="procedure"),
    page("sop:version_new", P("sop.add_procedureversion"), P("sop.add_procedureversion"), record="procedure"),
    page("sop:version_file", STAFF, record="procedure_version"),
    api("sop-list", STAFF, P("sop.add_procedure")),
    api("sop-meetings", STAFF, P("sop.add_optimisationmeeting")),
    api("sop-detail", STAFF, record="procedure"),
    api_post("sop-versions", P("sop.add_procedureversion"), record="procedure"),
    page("kpis:dashboard", P("kpis.view_dashboard")),
    page("kpis:export_xlsx", ALL("kpis.view_dashboard", "kpis.export_dashboard")),
    page("kpis:export_pdf", ALL("kpis.view_dashboard", "kpis.export_dashboard")),
    page("kpis:settings", P("kpis.change_monthlyreportsetting"), P("kpis.change_monthlyreportsetting")),
    page(
        "kpis:monthly_report",
        P("kpis.view_dashboard") & (P("kpis.change_monthlyreportsetting") | ROLE(*KPI_REPORT_ROLES)),
        record="monthly_report",
        note="its recipients (the setting's roles) and who configures it",
    ),
    page("kpis:detail", P("kpis.view_dashboard"), record="kpi_key"),
    api("kpis", P("kpis.view_dashboard")),
]

#: Django's admin site: staff flagged is_staff (administrators); everyone else is sent to the admin sign-in.
ADMIN = Access("admin:*", SUPERUSER, SUPERUSER, note="every pattern under /admin/")

POLICY: dict[str, Access] = {
    row.name: row
    for row in [
        *FOUNDATION,
        *INTAKE,
        *PLANNING,
        *PREPARATION,
        *CONTRACTS,
        *RESOURCES,
        *ONSITE,
        *INCIDENTS,
        *FEEDBACK,
        *CLOSING,
        *DOCUMENTS,
        *PEOPLE,
        *STANDARD,
        *QUALITY,
        ADMIN,
    ]
}


def policy_for(url_name: str, route: str = "") -> Access | None:
    """The row of a URL pattern (its name, or ``admin:*`` for the admin site); ``None``: not in the table."""
    if url_name.startswith("admin:") or route.startswith("admin/"):
        return ADMIN
    return POLICY.get(url_name)


# --- documents by confidentiality class (REQ-DOC-04, REQ-DOC-07) --------------------------------------------

#: Who reads (lists, opens, downloads) a document of each class of §4.5(2), over the project it belongs to:
#: general and medium — a role granting documents.view_document over a project one sees; high — in addition on
#: the project's team (or managing the project); very high (authorised only) — a role granting
#: documents.view_very_high_document, membership of the team and a signed confidentiality agreement for the
#: project (REQ-DOC-09): nobody else, not an administrator by being one. Every read of a very-high document
#: is written to the access log (REQ-DOC-07).
DOCUMENT_CLASSES: dict[str, Who] = {
    "general": DOCUMENT_READERS,
    "medium": DOCUMENT_READERS,
    "high": SUPERUSER | (DOCUMENT_READERS & (MEMBER | MANAGES)),
    "very_high": MEMBER & SIGNED & ALL("documents.view_document", "documents.view_very_high_document"),
}
#: Classes whose every read is logged (REQ-DOC-07).
LOGGED_CLASSES = frozenset({"very_high"})
