"""Fixtures of the check-in tests: a meeting running today, attendees with tickets, scanners with tokens."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from huiyi.onsite.attendees.models import Attendee, Ticket
from huiyi.onsite.checkin.api import clear_auth_cache


@pytest.fixture(autouse=True)
def _fresh_auth_cache():
    clear_auth_cache()
    yield
    clear_auth_cache()


@pytest.fixture
def add_attendee():
    counter = {"n": 0}

    def add(
        project, name=None, *, category="guest", status="active", phone="", organisation="浦江科技", seat=""
    ):
        counter["n"] += 1
        attendee = Attendee.objects.create(
            project=project,
            external_key=f"k{counter['n']}",
            name=name or f"参会人{counter['n']}",
            organisation=organisation,
            category=category,
            status=status,
            phone=phone,
            seat=seat or f"A-{counter['n']:02d}",
        )
        return Ticket.objects.create(attendee=attendee, project=project)

    return add


@pytest.fixture
def meeting(make_user, make_project, org):
    """A meeting today with a reception scanner and an on-site director as members."""
    unit = org["north_events"]
    reception = make_user("reception", unit, username="reception", display_name="前台小李")
    director = make_user("on_site_director", unit, username="director", display_name="现场总控王")
    project = make_project(
        unit, start_in_days=0, phase=3, members=[(reception, "reception"), (director, "on_site_director")]
    )
    return {"project": project, "reception": reception, "director": director, "unit": unit}


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def scanner_api(meeting):
    return token_client(meeting["reception"])


def redeem(client, code, *, key=None, device="door-1", project=None, **extra):
    body = {"code": code, "device": device, **extra}
    if project is not None:
        body["project"] = project
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/checkin/redeem/", body, format="json", **headers)
