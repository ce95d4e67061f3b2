"""Sections of the project page contributed by other apps (intake, planning, contracts, resources …).

An app registers a template from its AppConfig.ready()::

    from huiyi.projects.sections import Section, register
    register(Section("planning", "planning/_project_section.html", order=20))

The project page includes each template in order with `project` (and `request`, `user`, `perms`) in the
context; a section decides itself what to show to whom (it must check permissions for its own actions).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    order: int = 50


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
