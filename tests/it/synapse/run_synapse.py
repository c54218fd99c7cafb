"""Runs Synapse for as long as the test process that started it lives.

The tests hold this process's standard input open and never write to it.
However they end, even killed, the pipe closes when they do: the server is
then killed and its directory deleted, so no homeserver outlives a run.
"""

import shutil
import subprocess
import sys
import threading
from pathlib import Path

config = Path(sys.argv[1])
server = subprocess.Popen(
    [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config)],
    stdin=subprocess.DEVNULL,
)
stopped = threading.Event()


def stop_when_stdin_closes():
    sys.stdin.buffer.read()
    stopped.set()
    server.kill()


threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
status = server.wait()
# A server that exited by itself keeps its files, for the test to show why.
if stopped.is_set():
    shutil.rmtree(config.parent, ignore_errors=True)
sys.exit(status)
