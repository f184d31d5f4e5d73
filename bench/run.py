"""Throughput benchmark and its targets: nginx, gunicorn, the app's caches (`make bench`).

    make bench                     # or: .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --duration 10 --database-url postgres://…/mydb

Not part of CI. Needs Debian's nginx, wrk and hey (apt-get install -y nginx wrk hey),
PostgreSQL and Redis on loopback. In one run (bench/cluster.py):

1. A PostgreSQL database (guide_bench by default) is created if missing, migrated
   and loaded with content/; static files are collected into a temporary directory.
2. gunicorn (gunicorn.conf.py, DJANGO_ENV=production, REDIS_URL) on 127.0.0.1:8069,
   and nginx with deploy/nginx.conf in front of it on 127.0.0.1:8068, plus one
   location serving a saved copy of /offices/middle/ as a static file.
3. Each row: a warm-up, a closed-loop wrk run (16 connections) for its capacity,
   PostgreSQL's own count of statements during it, then an open-loop hey run at
   half that capacity for the latency a reader sees at a steady arrival rate.
4. Prints the rows and the targets table of issue 16 (ratios within this one run).

POSTs are real consultation requests (CSRF cookie and token, a fresh UUID `token`
per request in wrk: bench/post.lua); the rate limit is raised out of the way.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import cluster

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guide_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
PAGE = "/offices/middle/"
STATIC_COPY = "/bench/static-copy.html"
P99_TARGET_MS = 50
# (key, label, "nginx" or "app", path, method)
ROWS = [
    ("static", f"nginx: {PAGE} の静的コピー", "nginx", STATIC_COPY, "GET"),
    ("nginx_cache", f"nginx のキャッシュ: {PAGE}", "nginx", PAGE, "GET"),
    ("healthz", "アプリ: /healthz", "app", "/healthz", "GET"),
    ("app_cache", f"アプリのキャッシュ: {PAGE}", "app", PAGE, "GET"),
    ("form_get", f"フォーム GET {cluster.FORM_PATH}", "app", cluster.FORM_PATH, "GET"),
    ("form_post", f"フォーム POST {cluster.FORM_PATH}", "app", cluster.FORM_PATH, "POST"),
]
# (row, baseline row, minimum share in %), from issue 16.
TARGETS = [
    ("nginx_cache", "static", 50),
    ("app_cache", "healthz", 80),
    ("form_get", "healthz", 40),
    ("form_post", "healthz", 25),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--port", type=int, default=8069, help="gunicorn; nginx is port - 1")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=12, help="seconds per closed-loop run")
    parser.add_argument("--open-duration", type=int, default=10, help="seconds per open-loop run")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser.parse_args()


# --- Who used the CPU during a run (the machine may be shared) -------------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks():
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]) - fields[3] - fields[4]  # all but idle and iowait


def tree_ticks(pid):
    """utime + stime of a process, its reaped children and its live descendants."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return sum(int(v) for v in fields[11:15]) + sum(tree_ticks(child) for child in children)


def postgres_ticks(database):
    """CPU ticks so far of the PostgreSQL backends serving `database` (the server is shared)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().decode(errors="replace")
            except (FileNotFoundError, ProcessLookupError):
                continue
            # A backend's title: "postgres: 15/main: <user> <database> <client> <state>"
            if title.startswith("postgres:") and f" {database} " in title:
                ticks += tree_ticks(entry.name)
    return ticks


def cpu_accounting(run, server, database, all_pids):
    """(result, CPU ms the server spent per request, % of the machine used by others).

    The server is the process tree under test (nginx, or gunicorn and its PostgreSQL
    backends): what one request costs it does not depend on who else runs, so its
    ratios hold on a shared machine where requests per second do not.
    """

    def snapshot():
        children = os.times()
        return (
            machine_busy_ticks(),
            tree_ticks(server) + postgres_ticks(database),
            sum(map(tree_ticks, all_pids)) + postgres_ticks(database),
            (children.children_user + children.children_system) * CLOCK_TICKS,
        )

    before, started = snapshot(), time.monotonic()
    result = run()
    after = snapshot()
    machine, server_used, ours, load = (a - b for a, b in zip(after, before, strict=True))
    capacity = (time.monotonic() - started) * CLOCK_TICKS * os.cpu_count()
    other = max(0, round(100 * (machine - ours - load) / capacity))
    return result, 1000 * server_used / CLOCK_TICKS / result["requests"], other


# --- The run ---------------------------------------------------------------------------
def measure(args, ports, database, pids, post):
    rows = {}
    for key, label, via, path, method in ROWS:
        port, server = ports[via], pids[via]
        body = post if method == "POST" else None
        cluster.wrk(port, path, seconds=args.warmup, connections=args.connections, post=body)
        statements = cluster.sql_statements(database)
        closed, cpu_ms, other = cpu_accounting(
            lambda port=port, path=path, body=body: cluster.wrk(
                port, path, seconds=args.duration, connections=args.connections, post=body
            ),
            server,
            database if via == "app" else "-",
            pids.values(),
        )
        time.sleep(1.5)  # PostgreSQL publishes its counters about once a second
        sql = (cluster.sql_statements(database) - statements) / closed["requests"]
        opened = cluster.hey(
            port, path, rate=closed["rps"] / 2, seconds=args.open_duration, post=body
        )
        rows[key] = {
            "label": label,
            "closed": closed,
            "open": opened,
            "sql": sql,
            "cpu_ms": cpu_ms,
            "other": other,
        }
        print(
            f"{label}: {closed['rps']:,.0f} req/s (p99 {closed['p99_ms']:.1f} ms, errors "
            f"{closed['errors']}, SQL/req {sql:.2f}, CPU {cpu_ms:.3f} ms/req, other CPU {other} %); at "
            f"{opened['rate']:,.0f} req/s: p99 {opened['p99_ms']:.1f} ms, errors {opened['errors']}",
            flush=True,
        )
    return rows


def tables(rows):
    lines = [
        "| 測るもの | req/s | p50 (ms) | p99 (ms) | SQL/req | CPU ms/req | 半分の到着率 (req/s) "
        "| そのときの p99 (ms) | エラー | 他プロセスの CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows.values():
        closed, opened = row["closed"], row["open"]
        lines.append(
            f"| {row['label']} | {closed['rps']:,.0f} | {closed['p50_ms']:.1f} "
            f"| {closed['p99_ms']:.1f} | {row['sql']:.2f} | {row['cpu_ms']:.3f} | {opened['rate']:,.0f} "
            f"| {opened['p99_ms']:.1f} | {closed['errors'] + opened['errors']} | {row['other']} % |"
        )
    lines += [
        "",
        "| 目標 | req/s の比 | CPU の比（共有マシンでも安定） | 判定（req/s / CPU） |",
        "| --- | ---: | ---: | --- |",
    ]
    for key, baseline, minimum in TARGETS:
        row, base = rows[key], rows[baseline]
        share = 100 * row["closed"]["rps"] / base["closed"]["rps"]
        cpu_share = 100 * base["cpu_ms"] / row["cpu_ms"]
        goal = f"{row['label']} ≥ {base['label']} の {minimum} %"
        sql_ok = key != "app_cache" or row["sql"] < 0.005
        if key == "app_cache":
            goal += f"、SQL 0 本（測定 {row['sql']:.3f} 本/req）"
        verdicts = ["OK" if value >= minimum and sql_ok else "未達" for value in (share, cpu_share)]
        lines.append(f"| {goal} | {share:.0f} % | {cpu_share:.0f} % | {' / '.join(verdicts)} |")
    worst = max(rows.values(), key=lambda row: row["open"]["p99_ms"])
    ok = worst["open"]["p99_ms"] < P99_TARGET_MS
    lines.append(
        f"| 各行の半分の到着率で p99 < {P99_TARGET_MS} ms | 最大 {worst['open']['p99_ms']:.1f} ms"
        f"（{worst['label']}） | | {'OK' if ok else '未達'} |"
    )
    return "\n".join(lines)


def main():
    args = parse_args()
    cluster.require("wrk", "hey", cluster.NGINX)
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        tmp = Path(tmp)
        env = cluster.production_env(
            database_url=args.database_url,
            redis_url=args.redis_url,
            static_root=tmp / "static",
            CONSULTATION_RATE_LIMIT=10**9,
            TRUSTED_PROXY_COUNT=1,
        )
        print("準備中: データベース、collectstatic、コンテンツ…", flush=True)
        database = cluster.prepare(env)
        app = cluster.gunicorn(env, args.port, args.workers, tmp / "gunicorn.log")
        ports = {"app": args.port, "nginx": args.port - 1}
        copy = tmp / "static-copy.html"
        copy.write_text(cluster.request(args.port, PAGE)[2])
        proxy = cluster.start_nginx(
            port=ports["nginx"],
            upstreams=[args.port],
            prefix=tmp / "nginx",
            extra_locations=f"    location = {STATIC_COPY} {{ alias {copy}; default_type text/html; }}\n",
        )
        try:
            assert cluster.request(ports["nginx"], PAGE)[0] == 200
            assert cluster.request(ports["nginx"], PAGE)[1].get("x-cache-status") == "HIT"
            post = cluster.form_post(args.port)
            # A body the form refuses would be answered 200 (the form again): not a POST.
            status = cluster.request(
                args.port,
                cluster.FORM_PATH,
                method="POST",
                body=f"{post[1]}&token={uuid.uuid4()}",
                headers={"Cookie": post[0], "Content-Type": "application/x-www-form-urlencoded"},
            )[0]
            assert status == 302, f"the benchmark's consultation was answered {status}, not stored"
            pids = {"app": app.popen.pid, "nginx": proxy.popen.pid}
            rows = measure(args, ports, database, pids, post)
        finally:
            proxy.stop()
            app.stop()
    print()
    print(
        f"{os.cpu_count()} CPU; gunicorn workers {args.workers or 'gunicorn.conf.py'}; "
        f"wrk -c{args.connections} -d{args.duration}s; hey -c8 -z{args.open_duration}s"
    )
    print(tables(rows))
    if any(row["other"] > 10 for row in rows.values()):
        print("\n注意: 他のプロセスが CPU の 10 % 超を使った行があります。再計測を推奨。")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
