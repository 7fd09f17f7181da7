"""Structured logs: one line per request with its id, the user's id and the time taken, and
never an address, a search term or an exception's message."""

import json
import logging
import sys

import pytest

from casetracker.request_log import PlainFormatter, RequestIdFilter, StructuredFormatter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    formatter = StructuredFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == "casetracker.requests"
    ]


def test_it_logs_one_line_per_request_without_the_query_or_the_address(client, caplog):
    caplog.set_level(logging.INFO, logger="casetracker.requests")
    response = client.get(
        "/cases/?q=Sauytbay+Aigul&status=camp",
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    (line,) = request_lines(caplog)
    assert line["path"] == "/cases/"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["view"] == "cases:list"
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert "user_id" not in line
    raw = json.dumps(line)
    for private in ("Sauytbay", "camp", "203.0.113.7", "198.51.100.9"):
        assert private not in raw


def test_it_logs_the_signed_in_users_id(client, caplog):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    caplog.set_level(logging.INFO, logger="casetracker.requests")
    client.get("/admin/")
    line = request_lines(caplog)[-1]
    assert line["user_id"] == staff.pk
    assert line["status"] == 200
    assert staff.username not in json.dumps(line)


def test_it_keeps_a_proxys_request_id_only_when_it_looks_like_one(client):
    given = client.get("/healthz", HTTP_X_REQUEST_ID="caddy-3f9a0c1d2e")
    assert given["X-Request-ID"] == "caddy-3f9a0c1d2e"
    refused = client.get("/healthz", HTTP_X_REQUEST_ID="Aigul Sauytbay +7 700")
    assert refused["X-Request-ID"] != "Aigul Sauytbay +7 700"
    assert len(refused["X-Request-ID"]) == 32


def test_an_exception_is_logged_as_its_type_and_frames_without_its_message():
    try:
        raise ValueError("duplicate key value (name)=(Sauytbay Aigul)")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/admin/cases/case/add/",),
        exc_info,
    )
    record.request = object()  # Django attaches the request: it must not be written out
    RequestIdFilter().filter(record)
    line = json.loads(StructuredFormatter().format(record))
    assert line["exception"] == "builtins.ValueError"
    assert any("test_an_exception_is_logged" in frame for frame in line["stack"])
    assert line["message"] == "Internal Server Error: /admin/cases/case/add/"
    plain = PlainFormatter().format(record)
    for text in (json.dumps(line), plain):
        assert "Sauytbay" not in text
        assert "object at 0x" not in text


def test_the_health_probe_is_logged_only_at_debug_level(client, caplog):
    caplog.set_level(logging.INFO, logger="casetracker.requests")
    client.get("/healthz")
    assert request_lines(caplog) == []
    caplog.set_level(logging.DEBUG, logger="casetracker.requests")
    client.get("/healthz")
    assert request_lines(caplog)[-1]["view"] == "healthz"
