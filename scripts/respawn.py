"""Run a command, and run it again whenever it exits by itself: what `restart:
unless-stopped` does for the workers in docker-compose.yml, for the local stack.

Celery's worker exits ("Unrecoverable error") when Redis goes away while it holds a task
waiting for a retry; in production the container restarts, here this loop does. A SIGTERM
or SIGINT (stopping the stack) ends the loop and the command.

    python -m scripts.respawn -- python -m celery -A webmail worker ...
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

PAUSE_SECONDS = 1.0


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while not stopping:
        child = subprocess.Popen(command)
        code = child.wait()
        if not stopping:
            print(f"respawn: {command[0]} exited with {code}; starting it again", flush=True)
            time.sleep(PAUSE_SECONDS)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
