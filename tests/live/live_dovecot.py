"""live_dovecot.py - a throwaway Dovecot POP3 server for the POP3 gateway test: its own config in a
temp dir (loopback only, a free port, no TLS, passdb from a file, Maildir in the temp dir, logs
there too), started in the foreground and stopped with SIGTERM. Works as root (mail owned by
'nobody', Dovecot's own dovecot/dovenull users) and as an ordinary user (everything as that user).
Dovecot.start() returns None with the reason when it cannot run here, so the test can skip saying
exactly why."""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time

from live_harness import free_port

DOVECOT = "/usr/sbin/dovecot"


class Dovecot:
    """users: {login: password}; messages: {login: [raw message bytes, ...]} put in each Maildir."""

    def __init__(self, root, users, messages):
        self.root = os.path.join(root, "dovecot")
        self.port = free_port()
        self.log = os.path.join(self.root, "dovecot.log")
        self.proc = None
        os.makedirs(os.path.join(self.root, "run"))
        os.makedirs(os.path.join(self.root, "state"))
        with open(os.path.join(self.root, "passwd"), "w") as f:
            for user, pw in users.items():
                f.write(f"{user}:{{PLAIN}}{pw}\n")
        for user, msgs in messages.items():
            box = os.path.join(self.root, "home", user, "Maildir")
            for d in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(box, d))
            for i, raw in enumerate(msgs):
                with open(os.path.join(box, "new", f"{1000 + i}.M{i}P1.test"), "wb") as f:
                    f.write(raw)
        if os.geteuid() == 0:
            mail_user, internal, login = "nobody", "dovecot", "dovenull"
            for u in (internal, login):
                try:
                    pwd.getpwnam(u)
                except KeyError:
                    internal = login = "nobody"  # the package did not create its users: run them as nobody
            pw = pwd.getpwnam(mail_user)
            for d, _, files in os.walk(os.path.join(self.root, "home")):
                os.chown(d, pw.pw_uid, pw.pw_gid)
                for f in files:
                    os.chown(os.path.join(d, f), pw.pw_uid, pw.pw_gid)
            os.chmod(root, 0o755)
            os.chmod(self.root, 0o755)
            group = f"gid={pw.pw_gid}"
        else:
            mail_user = internal = login = pwd.getpwuid(os.geteuid()).pw_name
            group = f"gid={os.getegid()}"
        r = self.root
        conf = f"""# throwaway config of tests/live/live_dovecot.py
protocols = pop3
listen = 127.0.0.1
base_dir = {r}/run
state_dir = {r}/state
log_path = {self.log}
info_log_path = {self.log}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal}
default_login_user = {login}
mail_location = maildir:{r}/home/%u/Maildir
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} {group} home={r}/home/%u
}}
service pop3-login {{
  chroot =
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {self.port}
  }}
}}
service anvil {{
  chroot =
}}
"""
        self.conf = os.path.join(self.root, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write(conf)

    def start(self):
        """Start it and wait until it greets; None on success, else why it cannot run here."""
        if not os.path.exists(DOVECOT):
            return f"{DOVECOT} is not installed (.ci/install adds dovecot-pop3d)"
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", self.conf], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode(errors="replace")
                return f"dovecot exited {self.proc.returncode} at start: {out.strip()} {self.log_text()[-500:]}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    if s.recv(200).startswith(b"+OK"):
                        return None
            except OSError:
                time.sleep(0.2)
        self.stop()
        return f"dovecot did not greet on 127.0.0.1:{self.port} within 15 s: {self.log_text()[-500:]}"

    def log_text(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
