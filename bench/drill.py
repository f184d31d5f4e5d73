"""Cluster drill: two replicas behind nginx, the shared Redis and PostgreSQL (`make drill`).

    make drill                     # or: .venv/bin/python bench/drill.py
    .venv/bin/python bench/drill.py --database-url postgres://…/mydb

Not part of CI; loopback only; needs Debian's nginx, wrk (apt-get install -y nginx wrk
hey), PostgreSQL and Redis. Debian's nginx runs deploy/nginx.conf (bench/cluster.py)
in front of replicas A and B (gunicorn.conf.py, DJANGO_ENV=production, REDIS_URL,
TRUSTED_PROXY_COUNT=2: the drill plays the load balancer and names the client in
X-Forwarded-For), with the task worker (manage.py db_worker) beside them. The
database (guide_drill by default) loses its consultation requests, emails and tasks
first. It prints one table:

1. an editor's save in the admin of replica A is on replica B's page at once, and
   through nginx within the shared max age (seconds measured);
2. the consultation rate limit holds across replicas: one client, POSTs alternating
   between A and B, gets exactly CONSULTATION_RATE_LIMIT through;
5. throughput in one run, through nginx: a static copy of a guide page, the page from
   nginx's cache, from the app's cache, the form GET and POST, /healthz;
3. replica A killed (SIGKILL) under load: no GET fails through nginx; every POST in
   flight is stored exactly once or answered with the honest error page (and, sent
   again, stored once); the worker sends each stored request's two emails once;
4. both replicas stopped: the cached guide pages still answer 200 through nginx.

(Run in the order 1, 2, 5, 3, 4: the last two stop the replicas.)
"""

import argparse
import re
import secrets
import sys
import tempfile
from pathlib import Path

import cluster
from drill_steps import CREATE_EDITOR, EDITOR, STEPS

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guide_drill"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--port", type=int, default=8075, help="nginx; replicas +1 and +2")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per replica")
    parser.add_argument("--seconds", type=int, default=5, help="per throughput row")
    parser.add_argument("--steps", default="1,2,5,3,4", help="which checks, in this order")
    args = parser.parse_args()
    cluster.require("wrk", cluster.NGINX)
    with tempfile.TemporaryDirectory(prefix="guide-drill-") as tmp:
        tmp = Path(tmp)
        env = cluster.production_env(
            database_url=args.database_url,
            redis_url=args.redis_url,
            static_root=tmp / "static",
            TRUSTED_PROXY_COUNT=2,
        )
        print("準備中: データベース、collectstatic、コンテンツ、編集者…", flush=True)
        cluster.prepare(env)
        password = secrets.token_urlsafe(16)
        key = cluster.manage(
            dict(env, DRILL_PASSWORD=password),
            "shell",
            "-c",
            CREATE_EDITOR.format(username=EDITOR),
        ).split()[-1]
        ctx = {
            "a": args.port + 1,
            "b": args.port + 2,
            "nginx": args.port,
            "database_url": args.database_url,
            "password": password,
            "totp_key": key,
            "seconds": args.seconds,
            "rate_limit": 5,
        }
        env.update(CONSULTATION_RATE_LIMIT=str(ctx["rate_limit"]))
        replicas = [
            cluster.gunicorn(env, ctx[name], args.workers, tmp / f"replica-{name}.log")
            for name in ("a", "b")
        ]
        ctx["replica_a"], ctx["replica_b"] = replicas
        # The task worker sends the emails each stored request queued (dummy backend here).
        worker = cluster.Process(
            [str(cluster.BIN / "python"), "manage.py", "db_worker", "--no-reload"],
            env=env,
            log_path=tmp / "worker.log",
        )
        ctx["worker"] = worker
        _, headers, page = cluster.request(ctx["a"], "/offices/middle/")
        ctx["shared_max_age"] = int(re.search(r"s-maxage=(\d+)", headers["cache-control"])[1])
        copy = tmp / "static-copy.html"
        copy.write_text(page)
        proxy = cluster.start_nginx(
            port=ctx["nginx"],
            upstreams=[ctx["a"], ctx["b"]],
            prefix=tmp / "nginx",
            extra_locations=f"    location = /bench/static-copy.html {{ alias {copy}; default_type text/html; }}\n",
        )
        results = []
        try:
            chosen = args.steps.split(",")
            steps = sorted((s for s in STEPS if s[0] in chosen), key=lambda s: chosen.index(s[0]))
            for number, label, step in steps:
                print(f"{number}. {label}…", flush=True)
                try:
                    ok, detail = step(ctx)
                except Exception:
                    for replica in replicas:  # what the replicas said, before tmp goes
                        print(
                            f"--- {replica.log_path}",
                            *replica.log_path.read_text().splitlines()[-15:],
                            sep="\n",
                        )
                    raise
                print(f"   {'OK' if ok else '失敗'}: {detail}", flush=True)
                if not ok:  # what the processes said, before tmp goes
                    for process in (*replicas, worker):
                        tail = process.log_path.read_text().splitlines()[-10:]
                        print(f"--- {process.log_path.name}", *tail, sep="\n")
                results.append((number, label, ok, detail))
        finally:
            proxy.stop()
            worker.stop()
            for replica in replicas:
                replica.stop()
    print()
    print("| # | 確かめること | 結果 | 判定 |\n| --- | --- | --- | --- |")
    for number, label, ok, detail in sorted(results):
        print(f"| {number} | {label} | {detail} | {'OK' if ok else '失敗'} |")
    return 0 if all(ok for *_, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
