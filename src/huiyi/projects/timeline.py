"""A project's timeline: every action, deadline and control-point result in time order (issue 4).

Sources are functions `source(project) -> Iterable[Event]`, registered with `@timeline_source`; apps add
theirs (key-step clocks, task deadlines, contract signatures …) the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

_SOURCES: list[Callable] = []


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # action | deadline | result
    title: str
    detail: str = ""
    url: str = ""
    state: str = ""  # e.g. pass / fail / overdue / done — drives the badge colour
    actor: str = ""


def timeline_source(function: Callable[..., Iterable[Event]]):
    if function not in _SOURCES:
        _SOURCES.append(function)
    return function


def events(project, *, limit: int = 500) -> list[Event]:
    collected: list[Event] = []
    for source in _SOURCES:
        collected.extend(source(project))
    collected.sort(key=lambda event: event.at, reverse=True)
    return collected[:limit]
