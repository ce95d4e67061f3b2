"""Issue 10: runs INSIDE pretix's own virtual environment (bench/pretix/venv), for bench/pretix_setup.py.

    PRETIX_CONFIG_FILE=bench/pretix/pretix.cfg bench/pretix/venv/bin/python bench/pretix_populate.py \
        --tickets 20000 --out bench/pretix/data/bench.json [--reset-checkins]

Creates, or reuses, what the check-in comparison needs in pretix's database: organizer "huiyi-bench", event
"bench" with one admission product, --tickets paid orders of one ticket each (bulk insert, as pretix's own
order import would leave them), a check-in list for every product, and a team whose API token may check in.
A second run adds only the missing orders. --reset-checkins deletes the list's check-ins (so a new run redeems
every ticket again). Writes {organizer, event, list, token, secrets: [...]} as JSON to --out.

Imports only pretix and the standard library: it is not part of Huiyi and never runs in Huiyi's .venv.
"""

import argparse
import json
import os
import sys
from datetime import timedelta
from decimal import Decimal

ORGANIZER = "huiyi-bench"
EVENT = "bench"
SECRET_CHARS = "abcdefghjkmnpqrstuvwxyz23456789"  # pretix's own alphabet for random ticket secrets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--reset-checkins", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretix.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.utils.crypto import get_random_string
    from django.utils.timezone import now
    from django_scopes import scopes_disabled
    from i18nfield.strings import LazyI18nString
    from pretix.base.models import (
        Checkin,
        CheckinList,
        Event,
        Item,
        Order,
        OrderPosition,
        Organizer,
        Team,
        TeamAPIToken,
    )

    with scopes_disabled(), transaction.atomic():
        organizer, _ = Organizer.objects.get_or_create(slug=ORGANIZER, defaults={"name": "Huiyi bench"})
        event = Event.objects.filter(organizer=organizer, slug=EVENT).first()
        if event is None:
            start = now().replace(microsecond=0)
            event = Event.objects.create(
                organizer=organizer,
                name=LazyI18nString({"en": "Check-in bench"}),
                slug=EVENT,
                currency="EUR",
                date_from=start,
                date_to=start + timedelta(days=2),
                live=True,
            )
            event.set_defaults()
        item, _ = Item.objects.get_or_create(
            event=event,
            name=LazyI18nString({"en": "Admission"}),
            defaults={"default_price": Decimal("0.00"), "admission": True},
        )
        checkin_list, _ = CheckinList.objects.get_or_create(
            event=event, name="Entrance", defaults={"all_products": True, "include_pending": False}
        )
        team, _ = Team.objects.get_or_create(
            organizer=organizer,
            name="Scanners",
            defaults={"all_events": True, "limit_event_permissions": {"event.orders:checkin": True}},
        )
        token = TeamAPIToken.objects.filter(team=team, active=True).first() or TeamAPIToken.objects.create(
            team=team, name="bench"
        )
        channel = organizer.sales_channels.get(identifier="web")

        have = OrderPosition.all.filter(order__event=event).count()
        created_at = now()
        batch = 2000
        for start in range(have, args.tickets, batch):
            numbers = range(start, min(args.tickets, start + batch))
            orders = Order.objects.bulk_create(
                [
                    Order(
                        organizer=organizer,
                        event=event,
                        code=f"B{n:07d}",
                        status=Order.STATUS_PAID,
                        email=f"attendee{n}@bench.example",
                        locale="en",
                        datetime=created_at,
                        expires=created_at + timedelta(days=14),
                        total=Decimal("0.00"),
                        sales_channel=channel,
                    )
                    for n in numbers
                ]
            )
            OrderPosition.all.bulk_create(
                [
                    OrderPosition(
                        organizer=organizer,
                        order=order,
                        positionid=1,
                        item=item,
                        price=Decimal("0.00"),
                        tax_rate=Decimal("0.00"),
                        tax_value=Decimal("0.00"),
                        attendee_name_parts={
                            "_scheme": "given_family",
                            "given_name": f"Guest {n}",
                            "family_name": "Bench",
                        },
                        attendee_name_cached=f"Guest {n} Bench",
                        secret=get_random_string(32, SECRET_CHARS),
                        pseudonymization_id=f"P{n:09d}",
                    )
                    for n, order in zip(numbers, orders, strict=True)
                ]
            )
        if args.reset_checkins:
            Checkin.all.filter(list=checkin_list).delete()
        secrets = list(
            OrderPosition.all.filter(order__event=event)
            .order_by("order__code")
            .values_list("secret", flat=True)[: args.tickets]
        )
        checked_in = Checkin.all.filter(list=checkin_list).count()

    with open(args.out, "w") as handle:
        json.dump(
            {
                "organizer": organizer.slug,
                "event": event.slug,
                "list": checkin_list.pk,
                "token": token.token,
                "created": max(0, args.tickets - have),
                "checked_in": checked_in,
                "secrets": secrets,
            },
            handle,
        )
    print(
        f"pretix: organizer {organizer.slug}, event {event.slug}, list {checkin_list.pk}, "
        f"{len(secrets)} tickets ({max(0, args.tickets - have)} created now), {checked_in} checked in",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
