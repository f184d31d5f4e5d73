"""Container health check: exit 0 when /healthz answers 200, else 1.

Usage: python deploy/healthcheck.py [URL]   (default http://127.0.0.1:$PORT/healthz)

Sends the first ALLOWED_HOSTS name as Host, because Django answers 400 to a
host it does not serve. Standard library only: the slim image has no curl.
"""

import os
import sys
import urllib.request


def main(argv):
    url = argv[1] if len(argv) > 1 else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip("*.") if hosts else ""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"healthcheck failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
