"""Failure drill: graceful restarts, shutdown and a database outage under load.

    .venv/bin/python bench/failure.py                   # phase 1 only
    .venv/bin/python bench/failure.py --stop-postgres   # phase 1, then phase 2

Runs gunicorn with the production settings (DEBUG off, gunicorn.conf.py) on
127.0.0.1:8070 against a dedicated PostgreSQL database, with plain http on
loopback (SECURE_SSL_REDIRECT=0). Requests go to loopback only, and every
phase is bounded in requests and in time.

Phase 1: a steady stream to / and /healthz from a few threads; HUP to the
gunicorn master mid-stream (new workers, old ones finish their requests), then
TERM (graceful stop). Counts requests sent and failed. After TERM, a refused
connection is expected (the server is gone); a reset or a 5xx is a failure.

Phase 2 (--stop-postgres): stops the local PostgreSQL cluster for a few
seconds while / , /readyz and /healthz are requested: / must answer 503 (not
hang, not 500), /readyz 503, /healthz 200; then starts PostgreSQL again and
measures how long until pages answer 200. The cluster is shared with other
work, so the drill first waits for it to be idle, keeps it down for
--down-seconds (at most 20), and always starts it again.

Numbers from a run are recorded in docs/deploy.md.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from tests.example_env import example_identity  # noqa: E402

HOST = "127.0.0.1"  # loopback only
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guide_failure_drill"
MAX_DOWN_SECONDS = 20


# --- The server under test ---------------------------------------------------------
class Server:
    def __init__(self, port, env, log_path):
        self.port, self.env, self.log_path = port, env, log_path
        self.process = None

    def start(self, timeout=30):
        with open(self.log_path, "ab") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "guide.wsgi"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited at start; see {self.log_path}")
            if request(self.port, "/healthz")[0] == 200:
                return self
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not answer /healthz within {timeout} s; see {self.log_path}")

    def signal(self, signum):
        self.process.send_signal(signum)

    def wait(self, timeout):
        return self.process.wait(timeout=timeout)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()


def request(port, path, timeout=15):
    """One GET on a fresh connection: (status or error name, seconds)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        result = response.status
    except (OSError, http.client.HTTPException) as exc:
        result = type(exc).__name__
    finally:
        connection.close()
    return result, time.monotonic() - started


# --- The load ------------------------------------------------------------------------
class Stream:
    """A few threads requesting `paths` in turn until stopped or out of budget."""

    def __init__(self, port, paths, threads, max_requests, pause):
        self.port, self.paths, self.pause = port, paths, pause
        self.budget = max_requests
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.records = []  # (started, seconds, path, status or error name)
        self.threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _ticket(self):
        with self.lock:
            if self.budget <= 0:
                return False
            self.budget -= 1
            return True

    def _run(self, offset):
        n = offset
        while not self.stopped.is_set() and self._ticket():
            path = self.paths[n % len(self.paths)]
            n += 1
            started = time.monotonic()
            result, seconds = request(self.port, path)
            self.records.append((started, seconds, path, result))
            time.sleep(self.pause)

    def since(self, t, path=None):
        return [r for r in self.records if r[0] >= t and (path is None or r[2] == path)]

    def between(self, t0, t1, path=None):
        return [r for r in self.records if t0 <= r[0] < t1 and (path is None or r[2] == path)]


def ok(result):
    return isinstance(result, int) and result < 500


def summary(records):
    return dict(sorted(Counter(str(r[3]) for r in records).items()))


def latency_ms(records):
    if not records:
        return {}
    values = sorted(r[1] * 1000 for r in records)
    return {
        "median": round(statistics.median(values), 1),
        "max": round(values[-1], 1),
    }


# --- Setup -------------------------------------------------------------------------
def server_env(args, static_root, settings_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_")) and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="failure_drill_settings",
        PYTHONPATH=os.pathsep.join([str(settings_dir), str(BASE_DIR)]),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        # Phase 2 is about pages that need the database: the page cache, which keeps
        # cached guide pages up through an outage (see make drill), is off here.
        PAGE_CACHE_SECONDS="0",
        SECURE_SSL_REDIRECT="0",
        HOST=HOST,
        PORT=str(args.port),
        WEB_CONCURRENCY=str(args.workers),
        LOG_LEVEL="WARNING",
        FAILURE_DRILL_STATIC_ROOT=str(static_root),
        **example_identity(),
    )
    return env


def prepare(args, env):
    """Dedicated database, migrated and loaded; static files collected to a temp dir."""
    info = psycopg.conninfo.conninfo_to_dict(args.database_url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [str(BIN / "python"), "manage.py"]
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [*manage, *command], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL
        )
    content = subprocess.run(
        [*manage, "load_content"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if content.returncode != 0:
        print("warning: load_content failed; pages are served from what is loaded", flush=True)
    return name


# --- Phase 1: HUP and TERM under load --------------------------------------------------
def restarts(args, env, log_path):
    server = Server(args.port, env, log_path).start()
    stream = Stream(args.port, ["/", "/healthz"], args.threads, args.max_requests, args.pause)
    t0 = time.monotonic()
    stream.start()
    try:
        time.sleep(args.hup_after)
        t_hup = time.monotonic()
        server.signal(signal.SIGHUP)
        time.sleep(args.term_after)
        t_term = time.monotonic()
        server.signal(signal.SIGTERM)
        server.wait(timeout=45)
        t_exit = time.monotonic()
        time.sleep(1)  # clients now see the closed port
    finally:
        stream.stop()
        server.stop()

    before = stream.between(t0, t_term)
    after = stream.since(t_term)
    failed_before = [r for r in before if not ok(r[3])]
    # After TERM: in-flight requests must still complete; a refused connection is expected.
    failed_after = [r for r in after if not ok(r[3]) and r[3] != "ConnectionRefusedError"]
    return {
        "requests_sent": len(stream.records),
        "failed": len(failed_before) + len(failed_after),
        "sent_before_term": len(before),
        "failed_before_term": len(failed_before),
        "around_hup": summary(stream.between(t_hup - 1, t_hup + 5)),
        "after_term": summary(after),
        "failed_after_term": len(failed_after),
        "term_to_exit_s": round(t_exit - t_term, 2),
        "results": summary(stream.records),
        "latency_ms": latency_ms(before),
    }


# --- Phase 2: PostgreSQL stops and comes back -----------------------------------------
def cluster():
    versions = sorted(os.listdir("/etc/postgresql"))
    return [versions[-1], "main"]


def pg_ctl(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster(), action],
        check=True,
        timeout=60,
    )


def wait_idle(args, own_database):
    """Wait until no other client is running a query (other people's tests use this server)."""
    info = psycopg.conninfo.conninfo_to_dict(args.database_url)
    info["dbname"] = "postgres"
    deadline = time.monotonic() + args.wait_idle
    while True:
        with psycopg.connect(**info, connect_timeout=5) as conn:
            busy = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                " AND pid <> pg_backend_pid() AND datname <> %s"
                " AND (state = 'active' OR datname LIKE 'test\\_%%')",
                [own_database],
            ).fetchone()[0]
        if not busy:
            return
        if time.monotonic() > deadline:
            sys.exit(f"PostgreSQL is busy ({busy} other sessions); not stopping it. Try later.")
        time.sleep(2)


def _done(record):
    return record[0] + record[1]


def outage(args, env, log_path, own_database):
    wait_idle(args, own_database)
    server = Server(args.port, env, log_path).start()
    stream = Stream(args.port, ["/", "/readyz", "/healthz"], args.threads, args.max_requests, 0.02)
    try:
        stream.start()
        time.sleep(3)
        t_stop = time.monotonic()
        try:
            pg_ctl("stop")
            t_down = time.monotonic()
            time.sleep(min(args.down_seconds, MAX_DOWN_SECONDS))
        finally:
            # Always, and at once: other work uses this PostgreSQL.
            t_start = time.monotonic()
            pg_ctl("start")
            t_up = time.monotonic()
        first_ok = None
        while time.monotonic() < t_up + 60 and first_ok is None:
            time.sleep(0.1)
            first_ok = next((r for r in stream.since(t_start, "/") if r[3] == 200), None)
        time.sleep(2)
    finally:
        stream.stop()
        server.stop()

    pages = stream.between(t_down, t_start, "/")
    first_503 = next((r for r in stream.since(t_stop, "/") if r[3] == 503), None)
    readyz_ok = next((r for r in stream.since(t_start, "/readyz") if r[3] == 200), None)

    def seconds(record, since):
        return round(_done(record) - since, 2) if record else None

    return {
        "postgres_down_s": round(t_start - t_stop, 1),
        "requests_sent": len(stream.records),
        "during_outage": {
            path: summary(stream.between(t_down, t_start, path))
            for path in ("/", "/readyz", "/healthz")
        },
        "page_latency_during_outage_ms": latency_ms(pages),
        "first_503_after_stop_command_s": seconds(first_503, t_stop),
        # pg_ctlcluster returns only after its own wait; PostgreSQL accepts
        # connections earlier, so recovery is measured from the start command.
        "postgres_start_command_s": round(t_up - t_start, 2),
        "recovery_after_start_command_s": seconds(first_ok, t_start),
        "readyz_recovery_after_start_command_s": seconds(readyz_ok, t_start),
        "pages_unavailable_s": round(_done(first_ok) - _done(first_503), 2)
        if first_ok and first_503
        else None,
        "server_errors_500": sum(1 for r in stream.records if r[3] == 500),
        "results": summary(stream.records),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=20_000, help="per phase")
    parser.add_argument("--pause", type=float, default=0.005, help="seconds between requests")
    parser.add_argument("--hup-after", type=float, default=4)
    parser.add_argument("--term-after", type=float, default=6)
    parser.add_argument("--stop-postgres", action="store_true", help="run phase 2")
    parser.add_argument("--down-seconds", type=float, default=8)
    parser.add_argument("--wait-idle", type=float, default=180)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="failure-drill-") as tmp:
        tmp = Path(tmp)
        (tmp / "failure_drill_settings.py").write_text(
            "import os\n"
            "from guide.settings import *  # noqa: F403\n"
            "STATIC_ROOT = os.environ['FAILURE_DRILL_STATIC_ROOT']\n"
        )
        env = server_env(args, tmp / "static", tmp)
        log_path = tmp / "gunicorn.log"
        own_database = prepare(args, env)

        report = {"restarts": restarts(args, env, log_path)}
        print(json.dumps(report, ensure_ascii=False, indent=2), flush=True)
        if args.stop_postgres:
            report["postgres_outage"] = outage(args, env, log_path, own_database)
            print(json.dumps(report["postgres_outage"], ensure_ascii=False, indent=2))
        access = [line for line in log_path.read_text().splitlines() if " access " in line]
        if access:
            print("sample access log line:", access[len(access) // 2])


if __name__ == "__main__":
    main()
