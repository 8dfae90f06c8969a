"""The CI scripts wait for a busy dpkg lock instead of failing (another apt process at boot used to break
`make test-cluster` with "Could not get lock /var/lib/dpkg/lock-frontend")."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_apt_get_call_waits_for_the_dpkg_lock():
    calls = 0
    for script in (REPO / ".ci").rglob("*"):
        if not script.is_file():
            continue
        for line in script.read_text(errors="replace").splitlines():
            code = line.split("#", 1)[0]
            # apt-get as a command: at the start of the line, after timeout N, sudo, ; or &&
            if re.search(r"(^\s*|\btimeout\s+\d+\s+|\bsudo\s+|;\s*|&&\s*)apt-get\b", code):
                calls += 1
                assert re.search(r"DPkg::Lock::Timeout=\d+", code), f"{script}: {line.strip()}"
    assert calls >= 2
