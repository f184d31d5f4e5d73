"""Log lines cannot be forged: one record is one line, whatever a client sends."""

import http.client
import io
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import re_path
from hypothesis import given
from hypothesis import strategies as st

from guide.logsafe import escape_controls
from guide.urls import urlpatterns as site_urlpatterns

BASE_DIR = Path(settings.BASE_DIR)
# Percent-encoded control characters a client can put in a path.
FORGERIES = ["%0aFORGED-LINE", "%0dFORGED-LINE", "%0d%0aFORGED-LINE", "%1b[2K%0bFORGED-LINE"]
FORGERIES += ["%e2%80%a8FORGED-LINE", "%c2%85FORGED-LINE", "%00FORGED-LINE"]


def _boom(request, rest):
    raise RuntimeError("boom")


# Any path under logging-test/ fails, line breaks included (hence [\s\S]).
urlpatterns = [re_path(r"^logging-test/(?P<rest>[\s\S]*)$", _boom), *site_urlpatterns]
handler500 = "guide.errors.server_error"


@given(st.text())
def test_escaped_text_is_one_printable_line_and_printable_text_is_kept(text):
    escaped = escape_controls(text)
    assert len(escaped.splitlines()) <= 1
    assert all(c.isprintable() or unicodedata.category(c) == "Zs" for c in escaped)
    if text.isprintable():
        assert escaped == text


@contextmanager
def captured_stdout_handler():
    """What the settings' stdout handler writes meanwhile."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stdout")
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(old)


@given(message=st.text(), argument=st.text())
def test_every_django_log_record_is_one_line(message, argument):
    with captured_stdout_handler() as stream:
        logging.getLogger("careers.test").warning("%s %s", message, argument)
        try:
            raise ValueError(f"bad\n{argument}")
        except ValueError:
            logging.getLogger("careers.test").exception("failed: %s", message)
    assert len(stream.getvalue().splitlines()) == 2


def test_runserver_request_lines_never_carry_a_status_token():
    with captured_stdout_handler() as stream:
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /consultation/status/SECRET.sig/withdraw/ HTTP/1.1", "200", "9"
        )
    [line] = stream.getvalue().splitlines()
    assert "/consultation/status/[token]/withdraw/" in line and "SECRET" not in line


def test_runserver_request_lines_are_one_line():
    with captured_stdout_handler() as stream:
        # As django.core.servers.basehttp.WSGIRequestHandler.log_message writes them.
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /x\x1b[2K\rFORGED-LINE HTTP/1.1", "404", "179"
        )
    [line] = stream.getvalue().splitlines()
    assert "\\x1b[2K\\rFORGED-LINE" in line


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_failing_request_logs_its_decoded_path_on_one_line(db, forgery):
    with captured_stdout_handler() as stream:
        response = Client(raise_request_exception=False).get(f"/logging-test/x{forgery}")
    assert response.status_code == 500
    lines = stream.getvalue().splitlines()
    assert [line for line in lines if "Internal Server Error: /logging-test/x" in line] == lines
    assert len(lines) == 1


@pytest.fixture
def gunicorn_server():
    """gunicorn with gunicorn.conf.py on a free loopback port; yields (port, process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guide.settings",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def test_gunicorn_access_log_writes_one_line_per_request(gunicorn_server):
    port, process = gunicorn_server
    for forgery in FORGERIES:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/x{forgery}", headers={"X-Request-ID": "forgery-test"})
        assert connection.getresponse().status == 404
        connection.close()
    process.send_signal(signal.SIGTERM)
    stdout, _ = process.communicate(timeout=60)
    access = [line for line in stdout.splitlines() if "request_id=forgery-test" in line]
    assert len(access) == len(FORGERIES), stdout
    assert all(line.startswith("[") and ' access "GET /x' in line for line in access), access
    assert not [line for line in stdout.splitlines() if "FORGED-LINE" in line[:12]], stdout


def test_gunicorn_access_log_never_writes_a_status_or_share_token(gunicorn_server):
    port, process = gunicorn_server
    for path in ("/consultation/status/SECRET-ONE/", "/preview/SECRET-TWO/"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"X-Request-ID": "token-test"})
        connection.getresponse().read()
        connection.close()
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    access = [line for line in stdout.splitlines() if "request_id=token-test" in line]
    assert len(access) == 2, stdout
    assert "/consultation/status/[token]/" in access[0] and "/preview/[token]/" in access[1]
    assert "SECRET" not in stdout + stderr
