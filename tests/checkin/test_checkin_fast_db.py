"""Issue 10 / REQ-ONS-02: the door scan's database access (``huiyi.core.fast_db``) — statements prepared once
per connection on PostgreSQL, no ``SELECT 1`` before the scan's first query, and a read that finds its
connection dropped by the server reconnects by itself instead of failing the scan."""

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from tests.checkin.conftest import redeem, token_client

from huiyi.core.fast_db import prepared_cursor, reconnecting, without_health_check

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements and backend termination are PostgreSQL's"
)


def _terminate(backend_pid: int) -> None:
    """End a connection's server process from another connection (as a PostgreSQL restart does)."""

    def kill():
        try:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        finally:
            connections.close_all()

    thread = threading.Thread(target=kill)
    thread.start()
    thread.join()


@pytest.mark.django_db
def test_issue_10_prepared_cursor_reads_and_writes_on_every_database():
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s + %s", [40, 2])
        assert cursor.fetchone()[0] == 42


@pytest.mark.django_db
def test_issue_10_prepared_cursor_queries_are_seen_by_djangos_query_log():
    with CaptureQueriesContext(connection) as captured, prepared_cursor() as cursor:
        cursor.execute("SELECT %s", ["门"])
        assert cursor.fetchone()[0] == "门"
    assert len(captured) == 1


@on_postgresql
@pytest.mark.django_db
def test_issue_10_hot_statements_are_prepared_once_per_connection():
    query = "SELECT %s::integer * 2 AS prepared_probe"
    for value in (1, 2, 3):
        with prepared_cursor() as cursor:
            cursor.execute(query, [value])
            assert cursor.fetchone()[0] == value * 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%prepared_probe%"]
        )
        assert cursor.fetchone()[0] == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_issue_10_a_read_reconnects_when_the_server_dropped_the_connection():
    connection.ensure_connection()
    first = connection.connection.info.backend_pid
    _terminate(first)

    def read():
        with prepared_cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    second = reconnecting(read)
    assert second != first


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_issue_10_a_failing_read_inside_a_transaction_is_not_repeated():
    from django.db import transaction

    connection.ensure_connection()
    calls = []

    def read():
        calls.append(1)
        with prepared_cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0]

    with pytest.raises(OperationalError), transaction.atomic():  # noqa: PT012
        _terminate(connection.connection.info.backend_pid)
        reconnecting(read)
    assert calls == [1]
    connection.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_issue_10_a_scan_after_the_server_dropped_the_connection_succeeds(scanner_api, meeting, add_attendee):
    ticket = add_attendee(meeting["project"])
    assert (
        redeem(scanner_api, "warm-up").status_code == 200
    )  # the token is known: the ticket read comes first
    connection.ensure_connection()
    _terminate(connection.connection.info.backend_pid)
    response = redeem(scanner_api, ticket.code)
    assert response.status_code == 200, response.content
    assert response.json()["result"] == "ok"


@pytest.mark.django_db
def test_issue_10_without_health_check_marks_the_connection_checked():
    db = connections[DEFAULT_DB_ALIAS]
    db.health_check_done = False
    without_health_check()
    assert db.health_check_done is True


@on_postgresql
@pytest.mark.django_db
def test_issue_10_scan_statements_are_planned_for_the_table_as_it_is_now(scanner_api, meeting, add_attendee):
    """A generic plan made while a new meeting's tables were nearly empty would scan them whole on every
    later scan: PostgreSQL plans each run for the table as it is (``plan_cache_mode``, settings)."""
    for _ in range(8):
        ticket = add_attendee(meeting["project"])
        assert redeem(scanner_api, ticket.code).json()["result"] == "ok"
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_custom_plan"
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "attendees_ticket" t%'],
        )
        generic, custom = cursor.fetchone()
    assert generic == 0
    assert custom >= 8


@pytest.mark.django_db
def test_issue_10_scan_rows_follow_a_deleted_scanner_and_meeting_without_database_foreign_keys(
    meeting, add_attendee
):
    """The scan tables point at their meeting and scanner without a database foreign key (a hot-row lock on
    every scan): Django still nulls and cascades them."""
    from huiyi.onsite.checkin.models import CheckIn, IdempotencyRecord, ScanRecord

    project = meeting["project"]
    ticket = add_attendee(project)
    response = redeem(token_client(meeting["reception"]), ticket.code, key="k-1")
    assert response.json()["result"] == "ok"
    scanner = meeting["reception"]
    assert ScanRecord.objects.filter(user=scanner).count() == 1
    assert IdempotencyRecord.objects.filter(user=scanner).count() == 1

    scanner.delete()
    assert ScanRecord.objects.filter(project=project, user__isnull=True).count() == 1
    assert CheckIn.objects.get(ticket=ticket).user_id is None
    assert not IdempotencyRecord.objects.filter(user_id=scanner.pk).exists()

    project.delete()
    assert not ScanRecord.objects.filter(project_id=project.pk).exists()
    assert not CheckIn.objects.filter(project_id=project.pk).exists()
