"""REQ-ONS-02 measured from the scan records: check-in time per person (rule ons.checkin.time_per_person)."""

import math
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from huiyi.quality.metrics import Measurement, NotMeasurable, metric

from . import queries

#: The share of scans the figure covers, in percent: a door is judged by its slow scans, not its average.
PERCENTILE = 95
DEFINITION = gettext_noop(
    "95th percentile, over the meeting's entry scans, of the time from the scanner seeing the code to the "
    "answer shown on it (reported by the scanner page); scans without that report count their server "
    "processing time."
)


def percentile(values: list[float], share: int) -> float:
    """Nearest-rank percentile (`share` in percent) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered) / 100))
    return ordered[rank - 1]


@metric("checkin_response_time")
def checkin_response_time(project, rulebook):
    """Seconds a person waits at the scanner: the 95th percentile of every entry scan of the meeting.

    For each scan the time is the one the scanner page measured — from the moment the camera decoded the
    code (or the hardware scanner typed its first character, or the manual check-in button was pressed) to the
    moment the answer was on the screen, including the network and, offline, the wait before falling back to
    the queue — and reported with the scan (``shown_ms``). Scans from other clients (the API, a page that
    could not report) count the server's own processing time, measured from the request reaching the view to
    the answer being decided. Offline scans without a report are left out: the server never saw them live.
    """
    samples = []
    reported = 0
    for shown_ms, processing_us, offline in queries.response_times(project):
        if shown_ms is not None:
            samples.append(shown_ms / 1000)
            reported += 1
        elif not offline:
            samples.append(processing_us / 1_000_000)
    if not samples:
        return NotMeasurable(_("No ticket has been scanned yet."))
    value = Decimal(str(percentile(samples, PERCENTILE))).quantize(Decimal("0.001"))
    return Measurement(
        value=value,
        evidence={
            "definition": DEFINITION,
            "scans": len(samples),
            "reported_by_scanner": reported,
            "median_seconds": str(Decimal(str(percentile(samples, 50))).quantize(Decimal("0.001"))),
            "max_seconds": str(Decimal(str(max(samples))).quantize(Decimal("0.001"))),
        },
    )
