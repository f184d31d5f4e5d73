"""Throughput benchmark: gunicorn with the production settings, measured with wrk.

    make bench                     # or: .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --duration 30 --connections 16 --workers 5

Not part of CI. Steps:

1. A dedicated PostgreSQL database (guide_bench by default) is created if
   missing, migrated and loaded with content/; static files are collected into
   a temporary STATIC_ROOT.
2. gunicorn starts with gunicorn.conf.py and DJANGO_ENV=production on
   127.0.0.1:8069 (plain http on loopback: SECURE_SSL_REDIRECT=0), the
   submission rate limit raised out of the way and email sent to the dummy
   backend (an SMTP relay's round trip is not part of this measurement).
3. For each endpoint: a warm-up run, then a measured wrk run with 16
   connections. POSTs send a valid consultation request with the CSRF cookie and
   token taken from the form page and a fresh UUID `token` in every request
   (bench/post.lua), so each one stores a new row.
4. Prints a Markdown table: requests/s, p50, p99, and each rate as a share of
   /healthz (a view that touches neither the database nor a template).

Targets on the reference 2-core machine: content pages >= 20 % of /healthz,
form POST >= 15 %, p99 < 50 ms. Results and how they were obtained are in
docs/performance.md.
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guide_bench"
ROLE_PATH = "/offices/middle/risk-management/"
FORM_PATH = "/consultation/"
# (label, method, path, target share of /healthz in %)
ENDPOINTS = [
    ("/healthz", "GET", "/healthz", None),
    ("トップ /", "GET", "/", 20),
    ("部門 /offices/middle/", "GET", "/offices/middle/", 20),
    (f"職種 {ROLE_PATH}", "GET", ROLE_PATH, 20),
    (f"フォーム GET {FORM_PATH}", "GET", FORM_PATH, 20),
    ("適職診断 /diagnosis/", "GET", "/diagnosis/", 20),
    (f"フォーム POST {FORM_PATH}", "POST", FORM_PATH, 15),
]
P99_TARGET_MS = 50


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=15, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per endpoint")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)"
    )
    parser.add_argument(
        "--gunicorn-args",
        default="",
        help='extra gunicorn options, e.g. "--max-requests 0" (default: gunicorn.conf.py only)',
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser.parse_args()


def server_env(args, static_root):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "CONSULTATION_", "EMAIL_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=args.database_url,
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(static_root),
        HOST=HOST,
        PORT=str(args.port),
        CONSULTATION_RATE_LIMIT=str(10**9),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    return env


def prepare(args, env):
    """The bench database (created if missing), migrated and loaded; static files collected."""
    info = psycopg.conninfo.conninfo_to_dict(args.database_url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [str(BIN / "python"), "manage.py"]
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"], ["load_content"]):
        subprocess.run(
            [*manage, *command], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL
        )
    return name


def get(port, path, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode()
    finally:
        connection.close()


def start_server(env, log_path, port, extra_args):
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", *extra_args, "guide.wsgi"],
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
            if get(port, "/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    sys.exit(f"gunicorn did not answer within 30 s; see {log_path}")


def post_body(port):
    """The CSRF cookie and a form body (without `token`) for bench/post.lua."""
    status, headers, html = get(port, FORM_PATH)
    assert status == 200, status
    cookies = [value.split(";", 1)[0] for key, value in headers if key.lower() == "set-cookie"]
    csrf_cookie = next(c for c in cookies if "csrftoken=" in c)
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf_token,
            "name": "負荷 試験",
            "furigana": "ふか しけん",
            "email": "bench@example.com",
            "phone": "090-0000-0000",
            "interests": "middle/risk-management",
            "consent": "on",
            "source": "",
            "website": "",
        }
    )
    return csrf_cookie, body


# --- Who used the CPU during a run (the machine may be shared) -----------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks():
    """All CPUs' non-idle time since boot, in clock ticks."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle


def process_ticks(pid, children=False):
    """utime + stime of a process (plus its waited-for children's)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    # Fields after the name: state=0 … utime=11 stime=12 cutime=13 cstime=14
    ticks = int(fields[11]) + int(fields[12])
    return ticks + (int(fields[13]) + int(fields[14]) if children else 0)


def gunicorn_ticks(master):
    """{"master": own + reaped workers' ticks, worker pid: ticks} for the gunicorn tree."""
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {"master": process_ticks(master, children=True)} | {
        pid: process_ticks(pid) for pid in workers
    }


def gunicorn_used(before, after):
    """Ticks the gunicorn tree used between two snapshots. A worker recycled
    meanwhile (max_requests) shows up in the master's reaped-children time with
    its whole life, so its ticks from before the first snapshot are taken off."""
    used = after["master"] - before["master"]
    for pid, ticks in before.items():
        if pid != "master" and pid not in after:
            used -= ticks
    for pid, ticks in after.items():
        if pid != "master":
            used += ticks - before.get(pid, 0)
    return used


def postgres_ticks(database):
    """{pid: ticks} of the PostgreSQL backends serving `database` (the server is shared)."""
    ticks = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().decode(errors="replace")
            except (FileNotFoundError, ProcessLookupError):
                continue
            # A backend's title: "postgres: 15/main: <user> <database> <client> <state>"
            if title.startswith("postgres:") and f" {database} " in title:
                ticks[entry.name] = process_ticks(entry.name)
    return ticks


def cpu_snapshot(master, database):
    children = os.times()
    return {
        "machine": machine_busy_ticks(),
        "gunicorn": gunicorn_ticks(master),
        "postgres": postgres_ticks(database),
        "wrk": (children.children_user + children.children_system) * CLOCK_TICKS,
    }


def cpu_shares(before, after, seconds):
    """Each party's share of the whole machine's capacity during the run, in %."""
    capacity = seconds * CLOCK_TICKS * os.cpu_count()
    used = {key: after[key] - before[key] for key in ("machine", "wrk")}
    used["gunicorn"] = gunicorn_used(before["gunicorn"], after["gunicorn"])
    # Backends that ended during the run are lost; count the ones still there.
    used["postgres"] = sum(
        ticks - before["postgres"].get(pid, 0) for pid, ticks in after["postgres"].items()
    )
    ours = used["gunicorn"] + used["postgres"] + used["wrk"]
    shares = {key: 100 * value / capacity for key, value in used.items() if key != "machine"}
    shares["other"] = max(0.0, 100 * (used["machine"] - ours) / capacity)
    shares = {key: round(value) for key, value in shares.items()}
    # What one request costs the server (gunicorn + PostgreSQL), whoever else runs.
    shares["server_ticks"] = used["gunicorn"] + used["postgres"]
    return shares


def wrk(args, method, path, seconds, post=None):
    """One wrk run; the Lua `done` hook prints a JSON line with the numbers."""
    env = dict(os.environ, BENCH_DIR=str(BENCH_DIR))
    script = BENCH_DIR / "get.lua"
    if method == "POST":
        script = BENCH_DIR / "post.lua"
        env["BENCH_COOKIE"], env["BENCH_BODY"] = post
    result = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://{HOST}:{args.port}{path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON "))
    return json.loads(line.removeprefix("BENCH_JSON "))


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_kb / 1024**2, 1)}


def table(rows, baseline, baseline_cpu_ms):
    lines = [
        "| ページ | req/s | /healthz 比 | p50 (ms) | p99 (ms) | エラー | CPU ms/req | CPU 比 "
        "| 他プロセスの CPU | 目標 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        share = 100 * row["rps"] / baseline
        goals = []
        if row["target"] is not None:
            ok = share >= row["target"] and row["p99_ms"] < P99_TARGET_MS
            goals.append(("OK" if ok else "未達") + f" (≥{row['target']} %, p99 <{P99_TARGET_MS})")
        lines.append(
            f"| {row['label']} | {row['rps']:,.0f} | {share:.0f} % | {row['p50_ms']:.1f} "
            f"| {row['p99_ms']:.1f} | {row['errors']} | {row['cpu_ms']:.2f} "
            f"| {100 * baseline_cpu_ms / row['cpu_ms']:.0f} % | {row['cpu']['other']} % "
            f"| {' '.join(goals) or '基準'} |"
        )
    return "\n".join(lines)


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk がありません: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        tmp = Path(tmp)
        env = server_env(args, tmp / "static")
        print("準備中: データベース、collectstatic、コンテンツ…", flush=True)
        database = prepare(args, env)
        log_path = tmp / "gunicorn.log"
        server = start_server(env, log_path, args.port, shlex.split(args.gunicorn_args))
        try:
            endpoints = list(ENDPOINTS)
            if get(args.port, "/healthz")[0] != 200:
                print("/healthz がないため /robots.txt を基準にします", flush=True)
                endpoints[0] = ("/robots.txt", "GET", "/robots.txt", None)
            post = post_body(args.port)
            rows = []
            for label, method, path, target in endpoints:
                wrk(args, method, path, args.warmup, post)
                before, started = cpu_snapshot(server.pid, database), time.monotonic()
                numbers = wrk(args, method, path, args.duration, post)
                after = cpu_snapshot(server.pid, database)
                cpu = cpu_shares(before, after, time.monotonic() - started)
                row = {"label": label, "method": method, "path": path, "target": target}
                row.update(numbers, cpu=cpu)
                row["cpu_ms"] = 1000 * cpu.pop("server_ticks") / CLOCK_TICKS / numbers["requests"]
                rows.append(row)
                print(
                    f"{label}: {row['rps']:.0f} req/s, p50 {row['p50_ms']:.1f} ms, "
                    f"p99 {row['p99_ms']:.1f} ms, errors {row['errors']}; CPU % {cpu}",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=40)
        log_lines = log_path.read_text().splitlines()
        access = sum(" access " in line for line in log_lines)
        recycled = sum("Autorestarting worker" in line for line in log_lines)
        errors = [line for line in log_lines if " ERROR " in line or "[ERROR]" in line]
    info = machine()
    workers = args.workers or f"{2 * os.cpu_count() + 1} (gunicorn.conf.py)"
    print()
    print(
        f"{info['cpu']}, {info['nproc']} CPU, {info['memory_gb']} GB; gunicorn workers {workers}; "
        f"{args.gunicorn_args + ' ' if args.gunicorn_args else ''}"
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s"
    )
    print(table(rows, rows[0]["rps"], rows[0]["cpu_ms"]))
    noisy = [row["label"] for row in rows if row["cpu"]["other"] > 10]
    if noisy:
        print(
            f"\n注意: 他のプロセスが CPU の 10 % 超を使っていました ({', '.join(noisy)})。再計測を推奨。"
        )
    print(
        f"\naccess log lines: {access}; workers recycled (max_requests): {recycled}; "
        f"error log lines: {len(errors)}"
    )
    for line in errors[:5]:
        print("  " + line)
    if args.json:
        args.json.write_text(
            json.dumps({"machine": info, "rows": rows}, ensure_ascii=False, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
