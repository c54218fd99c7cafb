"""Runs Synapse for as long as the test process that started it lives.

The tests hold this process's standard input open. However they end, even
killed, the pipe closes when they do: the server is then killed and its
directory deleted, so no homeserver outlives a run. Meanwhile a test may
write `stop` to take the server down, keeping its data, and `start` to
bring it back on the same port.
"""

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

config = Path(sys.argv[1])
command = [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config)]
lock = threading.Lock()
state = {"server": subprocess.Popen(command, stdin=subprocess.DEVNULL), "paused": False}
ended = threading.Event()


def follow_the_tests():
    for line in sys.stdin:
        word = line.strip()
        with lock:
            if word == "stop" and not state["paused"]:
                state["paused"] = True
                state["server"].kill()
                state["server"].wait()
            elif word == "start" and state["paused"]:
                state["server"] = subprocess.Popen(command, stdin=subprocess.DEVNULL)
                state["paused"] = False
    ended.set()
    with lock:
        state["server"].kill()


threading.Thread(target=follow_the_tests, daemon=True).start()
while True:
    with lock:
        current = state["server"]
    status = current.wait()
    if ended.is_set():
        shutil.rmtree(config.parent, ignore_errors=True)
        sys.exit(status)
    with lock:
        # A server that exited by itself keeps its files, for the test to
        # show why; one stopped on purpose waits for its restart.
        if state["server"] is current and not state["paused"]:
            sys.exit(status)
    time.sleep(0.05)
