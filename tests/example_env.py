"""deploy/example.env for processes started with the production settings (tests, bench/)."""

import shlex
from pathlib import Path

EXAMPLE_ENV = Path(__file__).resolve().parent.parent / "deploy" / "example.env"


def example_identity() -> dict[str, str]:
    """Who we are, as deploy/example.env sets it: {"SITE_OPERATOR": "株式会社…", …}.

    Each `NAME="value"` line is read as sh reads it (shlex); comments and blank lines
    are skipped.
    """
    pairs = (
        shlex.split(line)[0].split("=", 1)
        for line in EXAMPLE_ENV.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    return dict(pairs)
