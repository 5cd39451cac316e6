#!/usr/bin/env python3
"""interop_clients.py - real mail clients against the simulator's servers, through `smtpsim talk --raw`.

Usage: interop_clients.py CLIENT SMTPSIM LESSON
  CLIENT  swaks | swaks-tls | curl | curl-tls | curl-pop3-tls | smtplib | smtplib-tls |
          poplib | poplib-tls | openssl-smtp | openssl-pop3
Exit status: 0 the client did its job, 1 it did not, 77 the client is not installed (ctest SKIP).

swaks speaks through a pipe (--pipe); the others need a TCP port, so a one-connection bridge here
listens on 127.0.0.1 and runs `smtpsim talk LESSON HOST:PORT --raw` for the connection, passing
bytes both ways as they come (which is what lets STARTTLS/STLS and the TLS handshake through).
The lesson is the story: B's MX mx1.b.example:25 (cut off from the Internet in the lesson; talk's
private link reaches it anyway), A's MSA msa.a.example:587 (AUTH required) and B's POP3 server.
"""
import os
import poplib
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys
import threading

MX = "mx1.b.example:25"
MSA = "msa.a.example:587"
POP = "pop.b.example:110"
MESSAGE = ("From: a@a.example\r\nTo: b@b.example\r\nSubject: through talk --raw\r\n\r\n"
           "Hello B, from a real client.\r\n")


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


def need(program):
    if shutil.which(program) is None:
        skip(program + " is not installed (Debian: apt-get install " + program + ")")


def fail(why, output=""):
    print("FAIL: " + why)
    if output:
        print(output)
    sys.exit(1)


class Bridge:
    """A TCP listener on 127.0.0.1 that runs `smtpsim talk --raw` for one connection."""

    def __init__(self, smtpsim, lesson, target):
        self.cmd = [smtpsim, "talk", lesson, target, "--raw"]
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.stderr = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.sock.accept()
        proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def upstream():  # client -> talk's stdin, chunk by chunk
            try:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        break
                    proc.stdin.write(data)
                    proc.stdin.flush()
            except OSError:
                pass
            try:
                proc.stdin.close()
            except OSError:
                pass

        up = threading.Thread(target=upstream, daemon=True)
        up.start()
        fd = proc.stdout.fileno()
        try:
            while True:
                data = os.read(fd, 65536)
                if not data:
                    break
                conn.sendall(data)
        except OSError:
            pass
        try:
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        proc.wait()
        self.stderr = proc.stderr.read()
        conn.close()

    def finish(self):
        self.thread.join(timeout=60)
        return self.stderr.decode("utf-8", "replace")


def run(cmd, stdin=None, timeout=120):
    p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def expect(cond, why, output=""):
    if not cond:
        fail(why, output)


def swaks(smtpsim, lesson, tls):
    need("swaks")
    cmd = ["swaks", "--pipe", smtpsim + " talk " + lesson + " " + MX + " --raw",
           "--from", "a@a.example", "--to", "b@b.example", "--helo", "client.example"]
    if tls:
        cmd.append("--tls")
    rc, out = run(cmd)
    expect(rc == 0, "swaks exited %d" % rc, out)
    expect("250 2.0.0 Ok: queued as" in out, "no 250 after DATA", out)
    if tls:
        expect("TLS started" in out, "swaks did not start TLS", out)
        expect("<~  250 2.0.0 Ok: queued as" in out, "the message did not go inside TLS", out)
    print(out)


def curl_smtp(smtpsim, lesson, tls):
    need("curl")
    bridge = Bridge(smtpsim, lesson, MX)
    cmd = ["curl", "-sS", "-v", "smtp://127.0.0.1:%d" % bridge.port, "--mail-from", "a@a.example",
           "--mail-rcpt", "b@b.example", "-T", "-"]
    if tls:
        cmd += ["--ssl-reqd", "-k"]
    rc, out = run(cmd, stdin=MESSAGE.encode())
    err = bridge.finish()
    expect(rc == 0, "curl exited %d" % rc, out + err)
    expect("250 2.0.0 Ok: queued as" in out, "no 250 after the message", out)
    if tls:
        expect("STARTTLS" in out and ("SSL connection using" in out or "TLSv1.3" in out), "curl did not use TLS", out)
    print(out)


def curl_pop3(smtpsim, lesson):
    need("curl")
    bridge = Bridge(smtpsim, lesson, POP)
    rc, out = run(["curl", "-sS", "-v", "--ssl-reqd", "-k", "-u", "b@b.example:banana", "pop3://127.0.0.1:%d/" % bridge.port])
    err = bridge.finish()
    expect(rc == 0, "curl exited %d" % rc, out + err)
    expect("STLS" in out and "+OK" in out, "no STLS / +OK in the conversation", out)
    print(out)


def smtplib_client(smtpsim, lesson, tls):
    bridge = Bridge(smtpsim, lesson, MSA if tls else MX)
    try:
        s = smtplib.SMTP("127.0.0.1", bridge.port, local_hostname="client.example", timeout=60)
        s.set_debuglevel(1)
        s.ehlo()
        if tls:
            expect(s.has_extn("starttls"), "no STARTTLS offered")
            s.starttls(context=ssl._create_unverified_context())
            s.ehlo()
            s.login("a@a.example", "apple pie")
        refused = s.sendmail("a@a.example", ["b@b.example"], MESSAGE)
        expect(not refused, "recipients refused: %r" % refused)
        s.quit()
    except (smtplib.SMTPException, OSError) as e:
        fail("smtplib: %r" % e, bridge.finish())
    print(bridge.finish())


def poplib_client(smtpsim, lesson, tls):
    bridge = Bridge(smtpsim, lesson, POP)
    try:
        p = poplib.POP3("127.0.0.1", bridge.port, timeout=60)
        p.set_debuglevel(1)
        if tls:
            p.stls(context=ssl._create_unverified_context())
        p.user("b@b.example")
        p.pass_("banana")
        count, size = p.stat()
        expect(count >= 0 and size >= 0, "bad STAT")
        p.list()
        p.quit()
    except (poplib.error_proto, OSError) as e:
        fail("poplib: %r" % e, bridge.finish())
    print(bridge.finish())


def openssl_client(smtpsim, lesson, proto):
    need("openssl")
    bridge = Bridge(smtpsim, lesson, MX if proto == "smtp" else POP)
    # One command: s_client sends its stdin at once, and EHLO must end a pipelined group (RFC 2920).
    script = b"QUIT\r\n" if proto == "smtp" else b"CAPA\r\nQUIT\r\n"
    rc, out = run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % bridge.port, "-starttls", proto,
                   "-ign_eof", "-servername", "x"], stdin=script, timeout=60)
    err = bridge.finish()
    expect("Protocol  : TLSv1.3" in out or "TLSv1.3" in out, "no TLS 1.3 session", out + err)
    expect(("221 " in out) if proto == "smtp" else ("+OK" in out), "no reply inside TLS", out)
    print(out)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    client, smtpsim, lesson = sys.argv[1:]
    table = {
        "swaks": lambda: swaks(smtpsim, lesson, False),
        "swaks-tls": lambda: swaks(smtpsim, lesson, True),
        "curl": lambda: curl_smtp(smtpsim, lesson, False),
        "curl-tls": lambda: curl_smtp(smtpsim, lesson, True),
        "curl-pop3-tls": lambda: curl_pop3(smtpsim, lesson),
        "smtplib": lambda: smtplib_client(smtpsim, lesson, False),
        "smtplib-tls": lambda: smtplib_client(smtpsim, lesson, True),
        "poplib": lambda: poplib_client(smtpsim, lesson, False),
        "poplib-tls": lambda: poplib_client(smtpsim, lesson, True),
        "openssl-smtp": lambda: openssl_client(smtpsim, lesson, "smtp"),
        "openssl-pop3": lambda: openssl_client(smtpsim, lesson, "pop3"),
    }
    if client not in table:
        print("unknown client " + client)
        sys.exit(2)
    table[client]()
    print("PASS: " + client)


if __name__ == "__main__":
    main()
