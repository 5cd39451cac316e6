"""live_harness.py - starts `smtpsim live` on free loopback ports for the interop tests, waits for
its `ready` line, and stops it with SIGTERM (checking it stops cleanly). Bounded in time."""
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77  # ctest SKIP_RETURN_CODE: a client program is missing
HERE = os.path.dirname(os.path.abspath(__file__))
LESSON = os.path.join(HERE, "live_lesson.yaml")
EXPOSE = ["msa.a.example:587", "open.a.example:587", "mx.b.example:25", "pop.b.example:110"]


def need(*programs):
    """Exit with SKIP (and say why) when a client program is not installed."""
    for p in programs:
        if shutil.which(p) is None:
            print(f"SKIP: '{p}' is not installed (.ci/install adds it)")
            sys.exit(SKIP)


class Bridge:
    """One `smtpsim live` process; ports[name] is the local port of an exposed HOST:PORT."""

    def __init__(self, smtpsim, extra=(), lesson=LESSON, expose=EXPOSE):
        self.dir = tempfile.mkdtemp(prefix="smtpsim-live-")
        self.ca = os.path.join(self.dir, "ca.pem")
        self.events = os.path.join(self.dir, "events.jsonl")
        self.pcap = os.path.join(self.dir, "live.pcap")
        extra = [x.replace("{dir}", self.dir) for x in extra]
        args = [smtpsim, "live", lesson, "--write-ca", self.ca, "--for", "150s", "--events", self.events]
        for e in expose:
            args += ["--expose", e + "=127.0.0.1:0"]
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.ports = {}
        self.output = b""
        deadline = time.monotonic() + 30
        line = b""
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                line += chunk
                if b"\n" in line:
                    break
            if self.proc.poll() is not None:
                break
        first, _, rest = line.partition(b"\n")
        self.output = rest
        if not first.startswith(b"ready"):  # the ready line comes first unless --transcript is on
            err = self.proc.stderr.read() if self.proc.poll() is not None else b""
            self.proc.kill()
            raise SystemExit(f"FAIL: no ready line from smtpsim live: {first!r} {err.decode(errors='replace')}")
        for item in first.decode().split()[1:]:
            name, _, local = item.partition("=")
            self.ports[name] = int(local.rsplit(":", 1)[1])
        assert os.path.getsize(self.ca) > 0, "the CA file is empty at the ready line"

    def port(self, name):
        return self.ports[name]

    def stop(self):
        """SIGTERM, then the report: returns the whole stdout after the ready line."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        elif self.proc.returncode is not None and hasattr(self, "_report"):
            return self._report
        try:
            out, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise SystemExit("FAIL: smtpsim live did not stop within 20 s of SIGTERM")
        self.output += out
        text = self.output.decode(errors="replace")
        if self.proc.returncode != 0:
            raise SystemExit(f"FAIL: smtpsim live exited {self.proc.returncode}: {err.decode(errors='replace')}")
        if "stopped by SIGTERM" not in text:
            raise SystemExit(f"FAIL: no clean stop report: {text[-2000:]}")
        self._report = text
        return text

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
        return False


def free_port():
    """A loopback port nobody listens on now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(args, timeout=30, input=None):
    """Run a client; return (exit code, stdout+stderr text)."""
    p = subprocess.run(args, input=input, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode(errors="replace")


def check(cond, what, detail=""):
    """Fail the test with a readable reason."""
    if not cond:
        print(f"FAIL: {what}\n{detail[-3000:]}")
        sys.exit(1)
    print(f"ok: {what}")
