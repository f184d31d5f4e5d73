"""POST latency with a slow SMTP relay: sending a request no longer waits for mail.

    make bench-mail              # or: .venv/bin/python bench/slow_relay.py
    .venv/bin/python bench/slow_relay.py --requests 200 --delay 0.5 --database-url postgres://…

Loopback only, real parts: an aiosmtpd relay (tests/mail_server.py) on a free
127.0.0.1 port; gunicorn with the production settings (gunicorn.conf.py, plain http
on 127.0.0.1:--port); one `manage.py db_worker` sending through the relay; a
dedicated PostgreSQL database (default guide_bench_mail; its requests, emails and
tasks are deleted first). Not part of CI.

After a warm-up, two rounds of --requests consultation requests are sent one after
another from one client, as the confirmation page's 送信する does (CSRF cookie and
token, a fresh form token each): first with the relay answering at once, then with
the relay taking --delay seconds (0.5) before it answers each message. For each
round it prints the POST latency (p50, p95, max) and how long the worker took to
send the round's emails. The POST only stores the request and queues its two emails
in the same transaction, so the two rounds' latencies should match while the
worker's time grows by about 2 × requests × delay. Exits 1 if a POST fails or an
email does not arrive exactly once.

Figures from a run are recorded in docs/performance.md.
"""

import argparse
import http.client
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from mail_drill import Workers, prepare  # noqa: E402

from tests.example_env import example_identity  # noqa: E402
from tests.mail_server import Relay  # noqa: E402

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guide_bench_mail"
FORM_PATH = "/consultation/"
WARMUP_REQUESTS = 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="POSTs per round")
    parser.add_argument("--delay", type=float, default=0.5, help="seconds per message, slow round")
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    return parser.parse_args()


def bench_env(args, relay_port, static_root):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "CONSULTATION_", "EMAIL_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="guide.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        TRUSTED_PROXY_COUNT="1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=args.database_url,
        STATIC_ROOT=str(static_root),
        HOST=HOST,
        PORT=str(args.port),
        WEB_CONCURRENCY=str(args.workers),
        CONSULTATION_RATE_LIMIT=str(10**9),
        EMAIL_HOST=HOST,
        EMAIL_PORT=str(relay_port),
        LOG_LEVEL="WARNING",
        **example_identity(),
    )
    return env


def start_gunicorn(args, env, log_path):
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "guide.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited at start; see {log_path}")
        try:
            if call(args.port, "GET", "/healthz")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    sys.exit(f"gunicorn did not answer within 30 s; see {log_path}")


def call(port, method, path, body=None, headers=None):
    """One request on a fresh connection: (status, headers, body, seconds)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        return response.status, response.getheaders(), content.decode(), elapsed
    finally:
        connection.close()


def form_session(port):
    """The CSRF cookie and the form's fields but the token, from the form page."""
    status, headers, html, _ = call(port, "GET", FORM_PATH)
    assert status == 200, status
    cookie = next(
        value.split(";", 1)[0]
        for key, value in headers
        if key.lower() == "set-cookie" and "csrftoken=" in value
    )
    fields = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1],
        "name": "負荷 試験",
        "furigana": "ふか しけん",
        "email": "bench@example.com",
        "phone": "090-1234-5678",
        "interests": "middle/risk-management",
        "contact_method": "email",
        "consent": "True",  # as the confirmation page's hidden field sends it
        "source": "",
        "step": "send",
    }
    return cookie, fields


def send(port, cookie, fields, count):
    """`count` requests, one after another; the latency of each in seconds."""
    latencies = []
    for _ in range(count):
        body = urlencode(fields | {"token": str(uuid.uuid4())})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        status, _, html, seconds = call(port, "POST", FORM_PATH, body, headers)
        if status != 302:
            errors = re.findall(r'<li><a href="#[^"]+">([^<]+)', html)  # the error summary
            sys.exit(f"FAILED: POST answered {status}, not 302 {errors}")
        latencies.append(seconds)
    return latencies


def wait_sent(expected, limit):
    """Seconds until `expected` emails are sent (exits when `limit` passes first)."""
    from careers.models import EmailDelivery

    started = time.monotonic()
    while time.monotonic() - started < limit:
        if EmailDelivery.objects.filter(state="sent").count() >= expected:
            return time.monotonic() - started
        time.sleep(0.1)
    sys.exit(f"FAILED: {expected} emails not sent within {limit:.0f} s")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    args = parse_args()
    relay = Relay()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(args, relay.port, Path(tmp) / "static")
        prepare(args, env)  # the database, migrated, with content and no requests
        subprocess.run(
            [str(BIN / "python"), "manage.py", "collectstatic", "--no-input"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        from careers.models import EmailDelivery

        relay.start()
        workers = Workers(env, Path(tmp) / "worker.log")
        server = start_gunicorn(args, env, Path(tmp) / "gunicorn.log")
        try:
            workers.start(1)
            cookie, fields = form_session(args.port)
            send(args.port, cookie, fields, WARMUP_REQUESTS)
            owed = 2 * WARMUP_REQUESTS
            wait_sent(owed, 60)
            for delay in (0.0, args.delay):
                relay.hang_after_data = delay
                latencies = send(args.port, cookie, fields, args.requests)
                owed += 2 * args.requests
                drained = wait_sent(owed, 60 + 2 * args.requests * (delay + 0.5))
                rows.append((delay, latencies, drained))
        finally:
            server.terminate()
            server.wait(timeout=40)
            workers.stop()
            relay.stop()
        arrived = [message["Message-ID"] for _, _, message in relay.messages]
        deliveries = list(EmailDelivery.objects.values_list("message_id", flat=True))
        if sorted(arrived) != sorted(deliveries):
            sys.exit("FAILED: the relay did not get each email exactly once")

    print(f"\n{args.requests} POSTs per round, one client, gunicorn workers: {args.workers}\n")
    print(
        "| リレーが 1 通に答えるまで | POST p50 (ms) | p95 (ms) | 最大 (ms) "
        "| 最後の POST からメールを送り終えるまで (s) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    for delay, latencies, drained in rows:
        ms = [value * 1000 for value in latencies]
        print(
            f"| {delay * 1000:.0f} ms | {statistics.median(ms):.1f} "
            f"| {percentile(ms, 0.95):.1f} | {max(ms):.1f} | {drained:.1f} |"
        )
    print(f"\nOK: {len(deliveries)} emails, each delivered once.")


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
