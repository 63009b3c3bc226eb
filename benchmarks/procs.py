"""Waiting for a measured child process: its exit status and its own peak RSS (``os.wait4``), with a deadline.

Shared by ``run.py`` and ``scale.py``; ``resource.getrusage(RUSAGE_CHILDREN)`` would mix every child's peak.
"""

from __future__ import annotations

import os
import subprocess
import time


def reap(proc: subprocess.Popen, deadline: float, poll: float = 0.005) -> tuple[int, float]:
    """Wait for ``proc`` (killed at ``deadline``, a ``time.perf_counter()`` value); its exit code and peak RSS in MB."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(poll)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024
