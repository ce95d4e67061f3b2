"""Panels of the on-site cockpit (§2.6), contributed by the on-site apps (check-in, inspections, agenda …).

An app registers a panel from its AppConfig.ready()::

    from huiyi.onsite.panels import Panel, register
    register(Panel("checkin", "checkin/_cockpit_panel.html", order=10))

The cockpit includes each template in order with `project` (and `request`, `user`, `perms`, `now`) in the
context. A panel decides itself what to show to whom and may refresh itself with htmx polling.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    order: int = 50
    #: Bootstrap column classes; wide panels take the whole row on large screens.
    width: str = "col-lg-6"


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))
