#!/usr/bin/env python3
"""viz_live.py VIZ OUTDIR - the visualizer's live mode in a real window under Xvfb: start
`smtpsim-viz --live` on the live test lesson with its MSA, MX and POP3 server on free loopback ports,
wait for its `ready` line, submit a message with swaks (STARTTLS with the CA verified, AUTH PLAIN),
poll the scene JSON it rewrites until the message is in b's mailbox, fetch it with curl over POP3,
then SIGTERM the window and check: the stop report, the scene written at exit (the real client's
transcript lines, the delivery, the fetch), and a screenshot that is not blank (OUTDIR/viz-live.png).
Exit 0 pass, 1 fail, 77 skip (swaks, curl or xvfb-run missing)."""
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "live"))
from live_harness import check, need, run  # noqa: E402

LESSON = os.path.join(HERE, "..", "live", "live_lesson.yaml")
SUBJECT = "watched live on screen"


def viz_pid(parent):
    """The smtpsim-viz process under xvfb-run (its child or grandchild)."""
    todo, seen = [parent], set()
    while todo:
        p = todo.pop()
        seen.add(p)
        for d in os.listdir("/proc"):
            if not d.isdigit() or int(d) in seen:
                continue
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{d}/comm") as f:
                    comm = f.read().strip()
            except OSError:
                continue
            if int(fields[1]) == p:
                if comm == "smtpsim-viz":
                    return int(d)
                todo.append(int(d))
    return None


def read_scene(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def delivered(scene):
    """b's mailbox holds a message and the timeline has its delivery (curl then checks the subject)."""
    return bool(scene and scene.get("live") and any(
        b["user"] == "b@b.example" and b["messages"] for b in scene["live"]["mailboxes"]) and any(
        m["kind"] == "delivered" and "b@b.example" in m["text"] for m in scene["markers"]))


def main():
    viz, outdir = sys.argv[1], sys.argv[2]
    need("swaks", "curl", "xvfb-run")
    os.makedirs(outdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="smtpsim-viz-live-")
    ca, scene_path = os.path.join(tmp, "ca.pem"), os.path.join(tmp, "scene.json")
    shot = os.path.join(outdir, "viz-live.png")
    if os.path.exists(shot):
        os.remove(shot)
    args = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", viz, "--live", LESSON, "--write-ca", ca,
            "--scene", scene_path, "--scene-every", "300ms", "--screenshot", shot, "--for", "150s"]
    for e in ("msa.a.example:587", "mx.b.example:25", "pop.b.example:110"):
        args += ["--expose", e + "=127.0.0.1:0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        line, deadline = b"", time.monotonic() + 60
        while b"\n" not in line and time.monotonic() < deadline and proc.poll() is None:
            if select.select([proc.stdout], [], [], 0.5)[0]:
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                line += chunk
        first, _, rest = line.partition(b"\n")
        check(first.startswith(b"ready "), "smtpsim-viz --live prints its ready line",
              repr(first) + (proc.stderr.read().decode(errors="replace") if proc.poll() is not None else ""))
        ports = {w.split("=")[0]: int(w.rsplit(":", 1)[1]) for w in first.decode().split()[1:]}
        check(set(ports) == {"msa.a.example:587", "mx.b.example:25", "pop.b.example:110"} and all(ports.values()),
              "the three exposed servers listen", repr(ports))

        rc, out = run(["swaks", "--server", "127.0.0.1", "--port", str(ports["msa.a.example:587"]), "--to",
                       "b@b.example", "--from", "a@a.example", "--helo", "laptop.test", "--timeout", "20", "-tls",
                       "--tls-verify", "--tls-ca-path", ca, "--auth", "PLAIN", "--auth-user", "a@a.example",
                       "--auth-password", "apple pie", "--header", f"Subject: {SUBJECT}", "--body",
                       "Sent by swaks, drawn by smtpsim-viz."])
        check(rc == 0 and "queued as" in out, "swaks submits to the live window's MSA (STARTTLS verified + AUTH)", out)

        scene, deadline = None, time.monotonic() + 30
        while time.monotonic() < deadline:
            scene = read_scene(scene_path)
            if delivered(scene):
                break
            time.sleep(0.3)
        check(delivered(scene), "the scene the window rewrites shows the message in b's mailbox",
              json.dumps(scene["live"] if scene else None)[:3000])

        url = f"pop3://127.0.0.1:{ports['pop.b.example:110']}/1"
        rc, out = run(["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", ca, "--user",
                       "b@b.example:banana", url])
        check(rc == 0 and f"Subject: {SUBJECT}" in out, "curl fetches it over the window's POP3 port (STLS)", out)
        time.sleep(1)  # a few frames with the fetch on screen

        pid = viz_pid(proc.pid)
        check(pid is not None, "found the smtpsim-viz process under xvfb-run")
        os.kill(pid, signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            check(False, "smtpsim-viz stops within 30 s of SIGTERM")
        report = (rest + out).decode(errors="replace")
        check(proc.returncode == 0, f"smtpsim-viz --live exits 0 on SIGTERM (got {proc.returncode})",
              err.decode(errors="replace"))
        check("stopped by SIGTERM" in report and "2 real connection(s)" in report,
              "its stop report counts the real connections (swaks, curl's STLS session)", report)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    scene = read_scene(scene_path)
    check(scene is not None and scene["live"] is not None, "the scene written at exit is a live scene")
    live = scene["live"]
    lines = live["transcript"]
    client = [l for l in lines if l["host"] == "live-client" or l["peer"] == "live-client"]
    texts = [l["text"] for l in client]
    check("EHLO laptop.test" in texts and "MAIL FROM:<a@a.example>" in texts and "RCPT TO:<b@b.example>" in texts,
          "the transcript has swaks' commands as the real client sent them", "\n".join(texts))
    check(any(t.startswith("250 2.0.0 Ok: queued as") for t in texts), "... and the MSA's 250 queued reply",
          "\n".join(texts))
    check(any(t.startswith("RETR 1") for t in texts), "... and curl's RETR on the POP3 port", "\n".join(texts))
    relayed = [l for l in lines if l["host"] == "msa.a.example" and l["peer"] != "live-client"
               and l["kind"] == "command" and l["text"].startswith("RCPT TO:<b@b.example>")]
    check(relayed, "the MSA relayed it over the lesson's links to the MX (a simulated session in the same transcript)")
    check(any(m["kind"] == "delivered" for m in scene["markers"]), "the timeline has the delivery mark",
          repr(scene["markers"]))
    check(scene["t_us"] > 0 and scene["end_us"] > scene["t_us"], "the live clock ran; the timeline is ahead of it")
    check(live["connections"] == 2, "the scene counts 2 real clients (swaks, curl)", repr(live["connections"]))
    check(os.path.exists(shot), "the screenshot at exit was written")
    rc, colours = run(["identify", "-format", "%k", shot])
    check(rc != 0 or int(colours) >= 16, "the screenshot is not blank", colours)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
