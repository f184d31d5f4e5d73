"""deploy/nginx.conf: valid for nginx, caches only what the app marks public."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

sys.path.insert(0, str(Path(settings.BASE_DIR) / "bench"))
import cluster  # bench/ is not a package

CONF = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
DIRECTIVES = "\n".join(line.split("#", 1)[0] for line in CONF.splitlines())


def test_the_app_decides_what_is_cached():
    assert "proxy_cache guide;" in CONF
    # Without proxy_cache_valid, a response without public caching headers is never stored.
    assert "proxy_cache_valid" not in DIRECTIVES
    assert "proxy_ignore_headers" not in DIRECTIVES
    assert re.search(r"map \$uri \$guide_private_path \{[^}]*admin\|consultation\|markdownx", CONF)
    assert "proxy_no_cache $args $guide_private_path;" in CONF
    assert "proxy_cache_bypass $args $guide_private_path;" in CONF


def test_stale_pages_lock_and_background_update():
    assert (
        "proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;" in CONF
    )
    for directive in ("proxy_cache_lock on;", "proxy_cache_background_update on;"):
        assert directive in CONF
    assert "error_page 502 504 /50x.html;" in CONF
    assert (Path(settings.BASE_DIR) / "deploy" / "errors" / "50x.html").exists()


@pytest.mark.skipif(not Path(cluster.NGINX).exists(), reason="nginx is not installed")
def test_nginx_accepts_the_configuration_as_the_drill_runs_it(tmp_path):
    (tmp_path / "media").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(cluster.nginx_conf(port=8999, upstreams=[9001, 9002], prefix=tmp_path))
    result = subprocess.run(
        [shutil.which("nginx") or cluster.NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
