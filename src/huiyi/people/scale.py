"""Bulk training records for the data generator (bench/): sessions of every plan module at its rulebook cycle,
attendance and assessment scores, written with ``bulk_create`` (no services, no audit rows: generated data).

    generate(start, years, users, rng) -> {"sessions": n, "attendances": n}
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from . import queries
from .models import Method, ModuleAttendance, ModuleSession

BATCH = 2000
#: Generated behaviour, not numbers of the specification: most people attend, scores cluster in the 80s.
ATTEND_SHARE = (0.75, 0.98)
SCORE_RANGE = (55, 100)


def generate(start: dt.date, years: int, users: list, rng: random.Random) -> dict:
    """Sessions from ``start`` over ``years`` years for every module of the active rulebook, each attended by
    a share of ``users`` with scores; the pass mark is the rulebook's."""
    end = dt.date(start.year + years, start.month, min(start.day, 28))
    pass_mark = queries.pass_mark()
    trainers = ["赵敏", "吴磊", "陈静", "周杰", "韩梅", "外聘讲师"]
    methods = list(Method.values)
    sessions: list[ModuleSession] = []
    for module in queries.modules():
        day = start
        while day < end:
            held = day + dt.timedelta(days=rng.randint(0, 20))
            sessions.append(
                ModuleSession(
                    module=module.key,
                    title=module.name,
                    held_on=held,
                    trainer=rng.choice(trainers),
                    place="培训室",
                    method=module.plan.methods[0] if module.plan.methods else rng.choice(methods),
                    pass_mark=pass_mark,
                    pass_mark_rule=queries.PASS_MARK_RULE,
                )
            )
            day = queries.add_months(day, module.cycle_months)
    sessions = ModuleSession.objects.bulk_create(sessions, batch_size=BATCH)
    user_ids = [getattr(u, "pk", u) for u in users]
    attendances: list[ModuleAttendance] = []
    count = 0
    for session in sessions:
        share = rng.uniform(*ATTEND_SHARE)
        for user_id in user_ids:
            if rng.random() > share:
                continue
            attended = rng.random() > 0.03
            score = Decimal(rng.randint(*SCORE_RANGE)) if attended else None
            attendances.append(
                ModuleAttendance(session=session, user_id=user_id, attended=attended, score=score)
            )
        if len(attendances) >= BATCH:
            ModuleAttendance.objects.bulk_create(attendances, batch_size=BATCH)
            count += len(attendances)
            attendances = []
    if attendances:
        ModuleAttendance.objects.bulk_create(attendances, batch_size=BATCH)
        count += len(attendances)
    return {"sessions": len(sessions), "attendances": count}
