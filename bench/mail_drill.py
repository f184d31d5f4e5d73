"""Email drill: the SMTP relay down while requests arrive, and a worker killed mid-send.

    .venv/bin/python bench/mail_drill.py [--requests 20] [--database-url postgres://…]

Runs the real pieces on loopback only: an aiosmtpd relay on a free 127.0.0.1 port,
`manage.py db_worker` processes with the production settings (SMTP mailer), and
`services.submit_consultation` against a dedicated PostgreSQL database (default
`guide_mail_drill`; its consultation requests, emails and tasks are deleted first).
Every wait is bounded; the drill exits 1 if an email is lost or sent twice.

Phase 1 (outage): the relay is down while --requests requests arrive and two workers
try; then it comes back. Every auto-reply and agents' email must arrive exactly once.
Retries are shortened (EMAIL_RETRY_DELAYS=1,2,4,8,16,32, EMAIL_STALE_SECONDS=6) so
the drill takes seconds.

Phase 2 (worker killed): the relay answers each message 3 s after keeping it; the
worker is killed (SIGKILL) while it waits for that answer; past the stale window
requeue_emails runs and a fresh worker starts, as the compose worker service does. The message the relay kept must
not be sent again (its record says "unknown"); every other email arrives once.

Figures from a run are recorded in docs/deploy.md.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from tests.example_env import example_identity  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guide_mail_drill"
WAIT_LIMIT = 90  # seconds, for any one wait
# Longer than the drill's slowest SMTP answer (3 s), so no live send counts as stalled.
STALE_SECONDS = 6
WORKER = [str(BIN / "python"), "manage.py", "db_worker", "--no-reload"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    return parser.parse_args()


def drill_env(args, relay_port):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="guide.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="drill-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=args.database_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(relay_port),
        EMAIL_RETRY_DELAYS="1,2,4,8,16,32",
        EMAIL_STALE_SECONDS=str(STALE_SECONDS),
        LOG_LEVEL="WARNING",
        **example_identity(),
    )
    return env


def prepare(args, env):
    """The drill database (created if missing), migrated, with content and no requests."""
    info = psycopg.conninfo.conninfo_to_dict(args.database_url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    for command in (["migrate", "--no-input"], ["load_content"]):
        subprocess.run(
            [str(BIN / "python"), "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ.update(env)
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from careers.models import ConsultationRequest

    ConsultationRequest.objects.all().delete()  # and their email records
    DBTaskResult.objects.all().delete()


class Workers:
    def __init__(self, env, log_path):
        self.env, self.log_path, self.processes = env, log_path, []

    def start(self, count=1):
        with open(self.log_path, "ab") as log:
            for _ in range(count):
                self.processes.append(
                    subprocess.Popen(
                        [*WORKER, "--interval", "0.2", "--no-startup-delay"],
                        cwd=BASE_DIR,
                        env=self.env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )

    def kill(self):
        for process in self.processes:
            process.kill()
            process.wait(timeout=10)
        self.processes = []

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []


def submit(count):
    from careers import services

    data = {
        "name": "訓練 太郎",
        "furigana": "くんれん たろう",
        "email": "drill@example.com",
        "phone": "09000000000",
        "birth_year": 1999,
        "prefecture": "東京都",
        "current_status": "employed",
        "interests": ["back"],
        "timing": "3months",
        "contact_method": "email",
        "contact_time": "anytime",
        "message": "",
    }
    return [
        services.submit_consultation(data=data, token=uuid.uuid4(), source="")[0]
        for _ in range(count)
    ]


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT_LIMIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    sys.exit(f"FAILED: {what} within {WAIT_LIMIT} s")


def settled():
    from careers.models import EmailDelivery

    return not EmailDelivery.objects.filter(state__in=["queued", "sending"]).exists()


def report(title, relay, extra=()):
    """Print the figures; return the failures (lost or doubled emails)."""
    from careers.models import EmailDelivery

    deliveries = list(EmailDelivery.objects.all())
    arrived = Counter(message["Message-ID"] for _, _, message in relay.messages)
    states = Counter(d.state for d in deliveries)
    doubled = [mid for mid, n in arrived.items() if n > 1]
    lost = [d.message_id for d in deliveries if d.message_id not in arrived]
    tries = Counter(d.tries for d in deliveries)
    print(f"\n{title}")
    for label, value in [
        ("emails owed (2 per request)", len(deliveries)),
        ("messages the relay kept", sum(arrived.values())),
        ("distinct emails delivered", len(arrived)),
        ("delivered twice or more", len(doubled)),
        ("never delivered", len(lost)),
        ("records by state", dict(states)),
        ("records by tries", dict(sorted(tries.items()))),
        *extra,
    ]:
        print(f"  {label:<36} {value}")
    return [f"{title}: doubled {doubled}"] * bool(doubled) + [f"{title}: lost {lost}"] * bool(lost)


def main():
    args = parse_args()
    from tests.mail_server import Relay

    relay = Relay()
    env = drill_env(args, relay.port)
    prepare(args, env)
    from careers.models import EmailDelivery

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        workers = Workers(env, Path(tmp) / "workers.log")
        try:
            # Phase 1: the relay is down (nothing listens on its port) while requests arrive.
            workers.start(2)
            submit(args.requests)
            wait_until(
                lambda: (
                    EmailDelivery.objects.filter(tries__gte=1, state="queued").count()
                    == 2 * args.requests
                ),
                "every email tried once and queued for a retry",
            )
            time.sleep(2)  # a few more refused retries
            relay.start()
            back = time.monotonic()
            wait_until(settled, "every email settled after the relay came back")
            recovery = time.monotonic() - back
            failures += report(
                f"Phase 1: relay down while {args.requests} requests arrived, 2 workers",
                relay,
                [("seconds from relay back to all sent", f"{recovery:.1f}")],
            )
            workers.stop()

            # Phase 2: a worker killed while the relay holds back its answer.
            relay.messages.clear()
            EmailDelivery.objects.all().delete()
            relay.hang_after_data = 3
            workers.start(1)
            submit(5)
            wait_until(lambda: relay.messages, "the first message at the relay")
            workers.kill()  # mid-send: the relay has the message, the worker never heard
            relay.hang_after_data = 0
            stuck = EmailDelivery.objects.filter(state="sending").count()
            # The restart, as compose does it: requeue_emails, then the worker. Past the
            # stale window the killed worker's email counts as stalled.
            time.sleep(STALE_SECONDS + 1)
            requeue = subprocess.run(
                [str(BIN / "python"), "manage.py", "requeue_emails"],
                cwd=BASE_DIR,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            workers.start(1)
            wait_until(settled, "every email settled after the restart")
            failures += report(
                "Phase 2: worker killed mid-send, restarted",
                relay,
                [
                    ("left 'sending' by the kill", stuck),
                    ("requeue_emails said", requeue.stdout.strip().splitlines()[-1]),
                ],
            )
        finally:
            workers.kill()
            if relay.controller and relay.controller.loop.is_running():
                relay.stop()
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("\nOK: no email lost, none sent twice.")


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
