"""The production shape on loopback, for `make bench` and `make drill` (not in CI).

Debian's nginx with the project's deploy/nginx.conf (ports, paths and upstreams
substituted), gunicorn replicas with the production settings, the shared Redis
and a PostgreSQL database of the caller's choosing. Every process is a child of
the caller, in its own session, and is stopped by its pid when the run ends.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
FORM_PATH = "/consultation/"


def require(*tools):
    missing = [tool for tool in tools if not (shutil.which(tool) or Path(tool).exists())]
    if missing:
        sys.exit(f"{', '.join(missing)} がありません: apt-get install -y nginx hey wrk")


def production_env(*, database_url, redis_url, static_root, **overrides):
    """The environment of a replica: production settings, plain http on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "CONSULTATION_", "EMAIL_", "HTTP_CACHE_"))
        and key
        not in {"DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "ALLOWED_HOSTS", "RELEASE", "SITE_URL"}
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS=f"{HOST},localhost",
        # Production requires an https SITE_URL on an allowed host (links, sitemap).
        SITE_URL=f"https://{HOST}",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # Pages cached by an earlier run are not reused.
        RELEASE="bench-" + secrets.token_hex(4),
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(static_root),
        # An SMTP relay's round trip is not part of these measurements.
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def prepare(env):
    """The database (created if missing), migrated and loaded; static files collected."""
    info = psycopg.conninfo.conninfo_to_dict(env["DATABASE_URL"])
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"], ["load_content"]):
        manage(env, *command)
    # Rows from earlier runs vacuumed now, not by autovacuum during a measurement
    # (its transactions would count in sql_statements()).
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return name


def manage(env, *args, stdin=None):
    return subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        input=stdin,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def sql_statements(database):
    """Transactions committed or rolled back in `database` so far (one per statement in
    autocommit): PostgreSQL's own count, for "queries per request" under load."""
    with psycopg.connect(host=HOST, user="postgres", dbname="postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
            [database],
        ).fetchone()
    return row[0]


# --- HTTP ------------------------------------------------------------------------------
def request(port, path, *, method="GET", body=None, headers=None, timeout=15):
    """One request on a fresh connection: (status or error name, headers dict, text)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        headers = {}
        for key, value in response.getheaders():
            key = key.lower()
            headers[key] = f"{headers[key]}\n{value}" if key in headers else value
        return response.status, headers, text
    except (OSError, http.client.HTTPException) as exc:
        return type(exc).__name__, {}, ""
    finally:
        connection.close()


def form_post(port, fields=None, headers=None):
    """A consultation form ready to POST: (Cookie header, urlencoded body without `token`)."""
    status, response_headers, html = request(port, FORM_PATH, headers=headers)
    assert status == 200, status
    cookie = next(
        line.split(";", 1)[0]
        for line in response_headers["set-cookie"].splitlines()
        if "csrftoken=" in line
    )
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = {
        "csrfmiddlewaretoken": csrf,
        "name": "負荷 試験",
        "furigana": "ふか しけん",
        "email": "bench@example.com",
        "phone": "090-1234-5678",
        "interests": "middle/risk-management",
        "consent": "on",
        "source": "",
        "website": "",
        # The confirmation page's 送信する: store it (a bare POST only confirms).
        "step": "send",
        **(fields or {}),
    }
    return cookie, urlencode(body)


# --- Processes --------------------------------------------------------------------------
class Process:
    """A child in its own session, so it and everything it forks stop together."""

    def __init__(self, args, *, env=None, log_path, cwd=BASE_DIR):
        with open(log_path, "ab") as log:
            self.popen = subprocess.Popen(
                args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.log_path = log_path

    def alive(self):
        return self.popen.poll() is None

    def stop(self, timeout=40):
        """TERM (graceful), then KILL after `timeout` seconds."""
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self):
        """SIGKILL to the whole process group: a crash, requests in flight lost."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        self.popen.wait(timeout=10)


def wait_for(port, path, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            sys.exit(f"exited at start; see {process.log_path}")
        if request(port, path, timeout=2)[0] == 200:
            return process
        time.sleep(0.2)
    process.stop()
    sys.exit(f"no answer on port {port} within {timeout} s; see {process.log_path}")


def gunicorn(env, port, workers, log_path):
    """One replica: gunicorn.conf.py with the production settings on HOST:port."""
    env = dict(env, HOST=HOST, PORT=str(port))
    if workers:  # else gunicorn.conf.py's 2 × CPU + 1
        env["WEB_CONCURRENCY"] = str(workers)
    process = Process(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "guide.wsgi"], env=env, log_path=log_path
    )
    return wait_for(port, "/healthz", process)


# --- nginx --------------------------------------------------------------------------------
def nginx_conf(*, port, upstreams, prefix, extra_locations=""):
    """deploy/nginx.conf for loopback: each substitution must match once, so a change
    to the deployed file that the drill would silently miss stops it instead."""
    conf = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    servers = "".join(f"    server {HOST}:{p} max_fails=1 fail_timeout=10s;\n" for p in upstreams)
    substitutions = [
        (r"resolver [^\n]*\n", ""),  # Docker's DNS; the upstreams are fixed here
        (r"    server web:8000 resolve;\n", servers),
        (r"/var/cache/nginx/guide", str(prefix / "cache")),
        (r"listen 80 default_server;", f"listen {HOST}:{port} default_server;"),
        (r"access_log /dev/stdout guide;", f"access_log {prefix / 'access.log'} guide;"),
        (r"alias /srv/media/;", f"alias {prefix / 'media'}/;"),
        (r"root /srv/errors;", f"root {BASE_DIR / 'deploy' / 'errors'};"),
        (r"(\n}\s*)$", f"\n{extra_locations}}}\n"),  # before the server block's end
    ]
    for pattern, replacement in substitutions:
        conf, count = re.subn(pattern, lambda _m, r=replacement: r, conf)
        if count != 1:
            sys.exit(f"deploy/nginx.conf: expected one match of {pattern!r}, found {count}")
    temp_paths = "".join(
        f"    {kind}_temp_path {prefix / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"worker_processes auto;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 4096; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    sendfile on;\n{temp_paths}{conf}}}\n"
    )


def start_nginx(*, port, upstreams, prefix, extra_locations=""):
    prefix.mkdir(parents=True, exist_ok=True)
    # Workers run as nobody when started by root: they must reach the prefix.
    for path in (prefix, *prefix.parents):
        if path == Path("/tmp") or path == Path("/"):
            break
        path.chmod(path.stat().st_mode | 0o755)
    (prefix / "media").mkdir(exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        nginx_conf(port=port, upstreams=upstreams, prefix=prefix, extra_locations=extra_locations)
    )
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True)
    if check.returncode:
        sys.exit(f"nginx -t failed:\n{check.stderr.decode()}")
    process = Process(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        log_path=prefix / "nginx.out",
    )
    return wait_for(port, "/healthz", process)


# --- Load generators ------------------------------------------------------------------
def wrk(port, path, *, seconds, connections=16, threads=2, post=None, new_clients=False):
    """Closed loop: as many requests as `connections` keep going (bench/*.lua report)."""
    env = dict(os.environ, BENCH_DIR=str(BENCH_DIR), BENCH_CLIENTS="1" if new_clients else "0")
    script = BENCH_DIR / "get.lua"
    if post:
        script = BENCH_DIR / "post.lua"
        env["BENCH_COOKIE"], env["BENCH_BODY"] = post
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://{HOST}:{port}{path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON "))
    return json.loads(line.removeprefix("BENCH_JSON "))


def hey(port, path, *, rate, seconds, workers=8, post=None):
    """Open loop at a fixed arrival rate (requests/s over all workers): p50/p99 in ms.

    hey sends one fixed body, so POSTs after the first repeat its form token: they are
    validated and answered like the first but store nothing new.
    """
    args = ["hey", "-z", f"{seconds}s", "-c", str(workers), "-q", f"{rate / workers:.2f}"]
    if post:
        cookie, body = post
        args += ["-m", "POST", "-T", "application/x-www-form-urlencoded"]
        args += ["-H", f"Cookie: {cookie}", "-d", f"{body}&token={secrets.token_hex(16)}"]
    result = subprocess.run(
        [*args, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True
    )
    out = result.stdout

    def number(pattern):
        found = re.search(pattern, out)
        return float(found.group(1)) if found else float("nan")

    codes = dict(re.findall(r"\[(\d{3})\]\s+(\d+) responses", out))
    errors = sum(int(n) for code, n in codes.items() if not code.startswith(("2", "3")))
    # Connection errors and timeouts: "Error distribution:" then "  [count]\tmessage".
    if "Error distribution:" in out:
        tail = out.split("Error distribution:", 1)[1]
        errors += sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]\s", tail, re.MULTILINE))
    return {
        "rate": rate,
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "p50_ms": 1000 * number(r"50%+ in ([\d.]+) secs"),
        "p99_ms": 1000 * number(r"99%+ in ([\d.]+) secs"),
        "errors": errors,
    }
