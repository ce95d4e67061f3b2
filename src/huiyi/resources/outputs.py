"""Phase outputs proved by resource records (REQ-QLT-01)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from huiyi.projects.outputs import Evidence, output

from .models import Booking


@output("venue_layout_drawing")
def venue_layout_drawing(project):
    booking = (
        Booking.objects.filter(project=project, kind=Booking.Kind.VENUE)
        .exclude(layout_drawing="")
        .select_related("room__venue")
        .first()
    )
    if booking is None:
        return None
    return Evidence(
        label=_("Layout drawing of %(room)s") % {"room": booking.room},
        url=reverse("resources:booking_file", args=[booking.pk, "layout"]),
    )


@output("equipment_list")
def equipment_list(project):
    count = Booking.objects.filter(project=project, kind=Booking.Kind.EQUIPMENT).count()
    if not count:
        return None
    return Evidence(
        label=_("%(n)s devices booked") % {"n": count},
        url=reverse("resources:project_bookings", args=[project.pk]),
    )
