"""The modules shown in the navigation. A module appears only when it is built and the user may use it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    label: str
    url_name: str
    icon: str
    permission: str | None = None
    #: Modules of daily work stand in the bar; reference and administration go under "More".
    secondary: bool = False


MODULES: list[Module] = [
    Module("dashboard", _("Dashboard"), "core:dashboard", "speedometer2"),
    Module("projects", _("Meeting projects"), "projects:list", "calendar-event"),
    Module("clients", _("Clients"), "clients:list", "building", "clients.view_client", secondary=True),
    Module(
        "organisation",
        _("Organisation"),
        "accounts:organisation",
        "diagram-3",
        "accounts.view_orgunit",
        secondary=True,
    ),
    Module("audit", _("Audit trail"), "core:audit", "journal-text", "auditlog.view_logentry", secondary=True),
    Module("glossary", _("Glossary"), "core:glossary", "book", secondary=True),
]


def modules_for(user) -> list[Module]:
    if not user.is_authenticated:
        return []
    return [m for m in MODULES if m.permission is None or user.has_perm(m.permission)]


def register(module: Module, *, after: str | None = None) -> None:
    """Let an app add its module when it is installed (later apps call this from AppConfig.ready)."""
    if any(existing.key == module.key for existing in MODULES):
        return
    keys = [m.key for m in MODULES]
    position = keys.index(after) + 1 if after in keys else len(MODULES) - 1
    MODULES.insert(position, module)
