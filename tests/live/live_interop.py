#!/usr/bin/env python3
"""live_interop.py SMTPSIM TEST - one interop test of `smtpsim live` against a real client.
Each test starts the bridge on free loopback ports (live_harness.Bridge), runs the client, checks
what it got, stops the bridge with SIGTERM and checks the stop report. Exit 0 pass, 1 fail,
77 skip (a client program is missing)."""
import json
import os
import poplib
import smtplib
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from live_harness import Bridge, check, free_port, need, run  # noqa: E402

# The body as the data file holds it: no CRLF at the end, as swaks --data ends the last line itself
# with the CRLF of "CRLF.CRLF" (a final CRLF in the file would become an empty last line).
MSG_BODY = "Hello B,\r\nthis came through the live bridge.\r\n..a line that starts with a dot\r\n\r\n\tA\xe9"


def swaks(b, port_name, *extra, to="b@b.example", frm="a@a.example"):
    return run(["swaks", "--server", "127.0.0.1", "--port", str(b.port(port_name)), "--to", to, "--from", frm,
                "--helo", "laptop.test", "--timeout", "20"] + list(extra))


def t_swaks_plain(b):
    rc, out = swaks(b, "mx.b.example:25", "--body", "plain test")
    check(rc == 0 and "250 2.0.0 Ok: queued as" in out, "swaks plain to the MX: 250 queued", out)


def t_swaks_pipelining(b):
    rc, out = swaks(b, "mx.b.example:25", "--pipeline", "--body", "pipelined")
    check(rc == 0 and "PIPELINING" in out and "queued as" in out, "swaks --pipeline: accepted", out)


def t_swaks_starttls(b):
    rc, out = swaks(b, "mx.b.example:25", "-tls", "--tls-verify", "--tls-ca-path", b.ca, "--body", "tls")
    check(rc == 0 and "TLS started" in out and "queued as" in out, "swaks STARTTLS with the CA verified", out)
    rc, out = swaks(b, "mx.b.example:25", "-tls", "--tls-verify", "--tls-ca-path", "/etc/ssl/certs/ca-certificates.crt")
    check(rc != 0, "swaks STARTTLS verifying against the system CAs fails (the sim CA is not trusted there)", out)


def t_swaks_auth(b):
    for mech in ("PLAIN", "LOGIN"):
        rc, out = swaks(b, "msa.a.example:587", "-tls", "--tls-verify", "--tls-ca-path", b.ca, "--auth", mech,
                        "--auth-user", "a@a.example", "--auth-password", "apple pie", "--body", "auth " + mech)
        check(rc == 0 and "235" in out and "queued as" in out, f"swaks AUTH {mech} after STARTTLS", out)
    rc, out = swaks(b, "msa.a.example:587", "--auth", "PLAIN", "--auth-user", "a@a.example",
                    "--auth-password", "apple pie")
    check(rc != 0 and "235" not in out, "AUTH without STARTTLS is refused", out)
    rc, out = swaks(b, "msa.a.example:587", "-tls", "--tls-ca-path", b.ca, "--auth", "PLAIN", "--auth-user",
                    "a@a.example", "--auth-password", "wrong")
    check(rc != 0 and "535" in out, "a wrong password gets 535", out)


def t_no_open_relay(b):
    rc, out = swaks(b, "open.a.example:587", to="someone@elsewhere.test", frm="x@elsewhere.test")
    check(rc != 0 and "554 5.7.1" in out, "open.a.example (auth optional): no relay to a foreign domain", out)
    rc, out = swaks(b, "open.a.example:587", to="b@b.example", frm="x@elsewhere.test")
    check(rc == 0 and "queued as" in out, "open.a.example: the lesson's own domains are fine", out)
    rc, out = swaks(b, "open.a.example:587", "-tls", "--tls-ca-path", b.ca, "--auth", "PLAIN", "--auth-user",
                    "a@a.example", "--auth-password", "apple pie", to="someone@elsewhere.test")
    check("554 5.7.1" not in out, "after AUTH the relay rule does not apply", out)


def t_curl_smtp(b):
    path = os.path.join(b.dir, "mail.txt")
    with open(path, "w") as f:
        f.write("From: a@a.example\r\nTo: b@b.example\r\nSubject: curl\r\n\r\ncurl upload\r\n")
    rc, out = run(["curl", "-sS", "--max-time", "20", f"smtp://127.0.0.1:{b.port('msa.a.example:587')}",
                   "--ssl-reqd", "--cacert", b.ca, "--user", "a@a.example:apple pie",
                   "--mail-from", "a@a.example", "--mail-rcpt", "b@b.example", "-T", path])
    check(rc == 0, "curl smtp:// upload with STARTTLS + AUTH", out)


def submit_and_wait(b, subject, body=MSG_BODY):
    """Submit one message with swaks (STARTTLS + AUTH; --data: these exact bytes, dot-stuffed on the
    wire) and wait until POP3 LIST shows it."""
    port = b.port("pop.b.example:110")
    before = pop_count(port)
    data = os.path.join(b.dir, "data.eml")
    with open(data, "w", newline="", encoding="latin-1") as f:
        f.write(f"From: a@a.example\r\nTo: b@b.example\r\nSubject: {subject}\r\n\r\n{body}")
    rc, out = swaks(b, "msa.a.example:587", "-tls", "--tls-verify", "--tls-ca-path", b.ca, "--auth", "PLAIN",
                    "--auth-user", "a@a.example", "--auth-password", "apple pie", "--data", data)
    check(rc == 0 and "queued as" in out, "swaks submits to the MSA", out)
    for _ in range(100):
        if pop_count(port) > before:
            return
        time.sleep(0.1)
    check(False, "the message reached B's mailbox within 10 s")


def pop_count(port):
    p = poplib.POP3("127.0.0.1", port, timeout=10)
    p.user("b@b.example")
    p.pass_("banana")
    n = p.stat()[0]
    p.quit()
    return n


def t_curl_pop3(b):
    submit_and_wait(b, "for curl")
    url = f"pop3://127.0.0.1:{b.port('pop.b.example:110')}"
    auth = ["--user", "b@b.example:banana", "-sS", "--max-time", "20"]
    rc, out = run(["curl"] + auth + [url + "/"])
    check(rc == 0 and out.startswith("1 "), "curl pop3:// LIST", out)
    rc, out = run(["curl"] + auth + [url + "/1"])
    check(rc == 0 and "Subject: for curl" in out, "curl pop3:// RETR", out)
    rc, out = run(["curl"] + auth + ["-X", "UIDL", url + "/"])
    check(rc == 0 and out.startswith("1 "), "curl pop3:// UIDL", out)
    rc, out = run(["curl"] + auth + ["-X", "TOP 1 0", url + "/"])
    check(rc == 0 and "Subject: for curl" in out and "live bridge" not in out, "curl pop3:// TOP 1 0", out)
    rc, out = run(["curl"] + auth + ["--ssl-reqd", "--cacert", b.ca, url + "/1"])
    check(rc == 0 and "Subject: for curl" in out, "curl pop3:// STLS (--ssl-reqd) with the CA", out)


def t_end_to_end(b):
    submit_and_wait(b, "end to end")
    url = f"pop3://127.0.0.1:{b.port('pop.b.example:110')}/1"
    out = os.path.join(b.dir, "fetched.eml")
    rc, text = run(["curl", "-sS", "--max-time", "20", "--ssl-reqd", "--cacert", b.ca, "--user", "b@b.example:banana",
                    "-o", out, url])
    check(rc == 0, "curl fetched the message", text)
    with open(out, "rb") as f:
        fetched = f.read()
    body = fetched.split(b"\r\n\r\n", 1)[1]
    want = (MSG_BODY + "\r\n").encode("latin-1")
    check(body == want, "the body fetched over POP3 is byte-identical to what swaks sent",
          f"sent {want!r}\ngot  {body!r}")


def t_python(b):
    ctx = ssl.create_default_context(cafile=b.ca)
    s = smtplib.SMTP("127.0.0.1", b.port("msa.a.example:587"), timeout=20)
    s.ehlo("laptop.test")
    s.starttls(context=ctx)
    s.login("a@a.example", "apple pie")
    refused = s.sendmail("a@a.example", ["b@b.example"], "Subject: from python\r\n\r\nsmtplib\r\n")
    s.quit()
    check(refused == {}, "smtplib starttls + login + sendmail")
    for _ in range(100):
        if pop_count(b.port("pop.b.example:110")) > 0:
            break
        time.sleep(0.1)
    p = poplib.POP3("127.0.0.1", b.port("pop.b.example:110"), timeout=20)
    p.stls(context=ctx)
    p.user("b@b.example")
    p.pass_("banana")
    resp, listing, _ = p.list()
    check(resp.startswith(b"+OK") and len(listing) >= 1, "poplib stls + user/pass + list")
    resp, lines, _ = p.retr(1)
    check(b"Subject: from python" in lines, "poplib retr")
    check(p.dele(1).startswith(b"+OK"), "poplib dele")
    p.quit()
    check(pop_count(b.port("pop.b.example:110")) == 0, "the message is gone after DELE + QUIT")


def t_openssl(b):
    for proto, port in (("smtp", b.port("msa.a.example:587")), ("pop3", b.port("pop.b.example:110"))):
        rc, out = run(["openssl", "s_client", "-starttls", proto, "-connect", f"127.0.0.1:{port}", "-CAfile", b.ca,
                       "-verify_return_error", "-verify_ip", "127.0.0.1", "-brief"], input=b"QUIT\r\n")
        check(rc == 0 and "Verification: OK" in out, f"openssl s_client -starttls {proto} verifies the CA and 127.0.0.1",
              out)
        rc, out = run(["openssl", "s_client", "-starttls", proto, "-connect", f"127.0.0.1:{port}", "-CAfile", b.ca,
                       "-verify_return_error", "-verify_hostname", "localhost", "-brief"], input=b"QUIT\r\n")
        check(rc == 0 and "Verification: OK" in out, f"openssl s_client -starttls {proto}: the name localhost verifies",
              out)


def t_msmtp(b):
    conf = os.path.join(b.dir, "msmtprc")
    with open(conf, "w") as f:
        f.write(f"""account live
host 127.0.0.1
port {b.port('msa.a.example:587')}
tls on
tls_starttls on
tls_trust_file {b.ca}
auth on
user a@a.example
password apple pie
from a@a.example
timeout 20
account default : live
""")
    os.chmod(conf, 0o600)
    rc, out = run(["msmtp", "-C", conf, "-v", "b@b.example"],
                  input=b"From: a@a.example\r\nTo: b@b.example\r\nSubject: via msmtp\r\n\r\nmsmtp body\r\n")
    check(rc == 0 and "250" in out, "msmtp submits with STARTTLS (CA verified) and AUTH", out)
    for _ in range(100):
        if pop_count(b.port("pop.b.example:110")) > 0:
            break
        time.sleep(0.1)


def t_fetchmail(b):
    t_msmtp(b)
    rc_file = os.path.join(b.dir, "fetchmailrc")
    out_file = os.path.join(b.dir, "fetched.mbox")
    with open(rc_file, "w") as f:
        f.write(f"""set no syslog
poll 127.0.0.1 service {b.port('pop.b.example:110')} protocol pop3 timeout 20
  user "b@b.example" password "banana" is "me" here
  sslproto "TLS1.2+" sslcertck sslcertfile "{b.ca}" sslcommonname "localhost"
  mda "cat >> {out_file}"
""")
    os.chmod(rc_file, 0o600)
    env = dict(os.environ, HOME=b.dir, FETCHMAILHOME=b.dir)
    p = subprocess.run(["fetchmail", "-f", rc_file, "-v", "--nokeep"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60, env=env)
    out = p.stdout.decode(errors="replace")
    check(p.returncode == 0 and "STLS" in out, "fetchmail fetches over POP3 with STLS, the CA verified", out)
    with open(out_file, "rb") as f:
        check(b"Subject: via msmtp" in f.read(), "fetchmail delivered the message msmtp sent")
    check(pop_count(b.port("pop.b.example:110")) == 0, "fetchmail deleted it on the server (--nokeep)")


def server_randoms(events_path):
    """The 32-byte random of every ServerHello a lesson host sent to a real client."""
    import base64
    import json
    out = []
    with open(events_path) as f:
        for line in f:
            e = json.loads(line)
            if e.get("kind") != "bytes_sent" or e.get("peer") != "live-client" or "data_b64" not in e:
                continue
            d = base64.b64decode(e["data_b64"])
            if len(d) > 43 and d[0] == 0x16 and d[5] == 0x02:
                out.append(d[11:43])
    return out


def t_live_randomness(b):
    """Live TLS draws real randomness: two runs with the same seed give different ServerHellos."""
    smtpsim = sys.argv[1]
    randoms = []
    for run_no in range(2):
        with Bridge(smtpsim) as other:
            rc, out = run(["openssl", "s_client", "-starttls", "smtp", "-connect",
                           f"127.0.0.1:{other.port('mx.b.example:25')}", "-CAfile", other.ca, "-brief"],
                          input=b"QUIT\r\n")
            check(rc == 0, f"run {run_no + 1}: STARTTLS handshake", out)
            other.stop()
            randoms += server_randoms(other.events)
    check(len(randoms) == 2, "one ServerHello per run in the JSONL events", repr(randoms))
    check(randoms[0] != randoms[1], "same seed, two live runs: different ServerHello randoms (real randomness)",
          repr(randoms))


def gateway_run(smtpsim, real_port, subject):
    """The bridge with mx.b.example played by the real server on real_port; swaks submits one
    message to the MSA, which relays it over the lesson's links to that MX. Returns the report."""
    with Bridge(smtpsim, extra=["--gateway", f"mx.b.example=127.0.0.1:{real_port}"],
                expose=["msa.a.example:587"]) as b:
        rc, out = swaks(b, "msa.a.example:587", "-tls", "--tls-ca-path", b.ca, "--auth", "PLAIN", "--auth-user",
                        "a@a.example", "--auth-password", "apple pie", "--header", f"Subject: {subject}")
        check(rc == 0 and "queued as" in out, "swaks submits to the MSA", out)
        time.sleep(3)  # the MSA relays at once: DNS, then 40 ms of links to the MX
        return b.stop()


def t_gateway_aiosmtpd(b):
    if not os.path.exists("/usr/bin/python3") or subprocess.run(
            ["/usr/bin/python3", "-c", "import aiosmtpd"], capture_output=True).returncode != 0:
        print("SKIP: python3-aiosmtpd is not installed for /usr/bin/python3 (.ci/install adds it)")
        sys.exit(77)
    port = free_port()
    store = os.path.join(b.dir, "aiosmtpd.out")
    sink = subprocess.Popen(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "aiosmtpd_sink.py"),
                             str(port), store], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        check(sink.stdout.readline().startswith(b"listening"), "aiosmtpd listens")
        report = gateway_run(sys.argv[1], port, "to aiosmtpd")
    finally:
        sink.stdin.close()
        sink.wait(timeout=10)
    check("gateways: 1 session(s), 0 could not connect" in report and "still queued: 0" in report,
          "the MSA's delivery went through the gateway and left nothing queued", report)
    with open(store, "rb") as f:
        got = f.read()
    check(b"RCPT TO:b@b.example" in got and b"Subject: to aiosmtpd" in got and b"by msa.a.example (smtpsim) with ESMTPSA" in got,
          "aiosmtpd stored the message the simulated MSA delivered (with the MSA's Received header)", repr(got[:600]))


def t_gateway_smtp_sink(b):
    need("smtp-sink")
    port = free_port()
    args = ["smtp-sink"] + (["-u", "nobody"] if os.geteuid() == 0 else []) + [f"127.0.0.1:{port}", "10"]
    sink = subprocess.Popen(args)
    try:
        time.sleep(0.3)
        report = gateway_run(sys.argv[1], port, "to smtp-sink")
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    check("gateways: 1 session(s), 0 could not connect" in report and "still queued: 0" in report,
          "the simulated MSA delivered to Postfix's smtp-sink through the gateway", report)


def t_gateway_pop3_dovecot(b):
    """The simulated mail client's POP3 engine fetches from a real Dovecot behind the gateway."""
    from live_dovecot import Dovecot
    raw = (b"From: a@a.example\r\nTo: b@b.example\r\nSubject: kept by dovecot\r\n"
           b"Message-ID: <dovecot-1@b.example>\r\n\r\nThis message was in Dovecot's Maildir.\r\n")
    dv = Dovecot(b.dir, {"b@b.example": "banana"}, {"b@b.example": [raw]})
    why = dv.start()
    if why:
        dv.cleanup()
        print(f"SKIP: a real POP3 server cannot run here: {why}")
        sys.exit(77)
    try:
        lesson = os.path.join(os.path.dirname(os.path.abspath(__file__)), "live_pop3_lesson.yaml")
        with Bridge(sys.argv[1], extra=["--gateway", f"pop.b.example:110=127.0.0.1:{dv.port}"], lesson=lesson,
                    expose=[]) as br:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and "retr=1/" not in dv.log_text():
                time.sleep(0.3)
            time.sleep(1)  # the client's DELE and QUIT
            report = br.stop()
            with open(br.events) as f:
                events = [json.loads(line) for line in f]
        log = dv.log_text()
    finally:
        dv.cleanup()
    check("Login: user=<b@b.example>, method=PLAIN" in log, "Dovecot logged the simulated client in (USER/PASS)", log)
    check("retr=1/" in log and "del=1/1" in log, "Dovecot served one RETR and one DELE to it", log)
    check("gateways:" in report and "0 could not connect" in report, "the gateway reached Dovecot", report)
    import base64
    sent = [base64.b64decode(e["data_b64"]) for e in events
            if e["kind"] == "bytes_sent" and e.get("host") == "pop.b.example" and "data_b64" in e]
    check(sent and sent[0].startswith(b"+OK Dovecot"), "the trace has Dovecot's greeting as bytes pop.b.example sent",
          repr(sent[:3]))
    cmds = [e["text"] for e in events if e["kind"] == "command" and e.get("host") == "client-b"]
    check(cmds[-3:] == ["RETR 1", "DELE 1", "QUIT"], "the client's POP3 commands are in the trace", repr(cmds))
    notes = [e["text"] for e in events if e["kind"] == "note" and e.get("host") == "client-b"]
    check(any('fetched "kept by dovecot"' in n for n in notes), "client-b fetched the message from Dovecot's Maildir",
          repr(notes))


def t_pcap(b):
    """A real client's session is in the pcap and the JSONL like a simulated one."""
    rc, out = swaks(b, "mx.b.example:25", "--body", "pcap test")
    check(rc == 0 and "queued as" in out, "swaks plain to the MX", out)
    b.stop()
    rc, out = run(["tshark", "-r", b.pcap, "-d", "tcp.port==25,smtp", "-Y", "ip.src==127.0.0.1 && smtp"])
    check(rc == 0 and "EHLO laptop.test" in out and "MAIL FROM:<a@a.example>" in out,
          "tshark reads the real client's SMTP commands from the pcap (127.0.0.1 -> the MX)", out)
    rc, out = run(["tshark", "-r", b.pcap, "-d", "tcp.port==25,smtp", "-Y", "ip.dst==127.0.0.1 && smtp"])
    check("250 2.0.0 Ok: queued as" in out, "... and the MX's replies to it", out)
    with open(b.events) as f:
        events = [json.loads(l) for l in f if '"live-client"' in l]
    kinds = [e["kind"] for e in events]
    check(kinds[:2] == ["conn_open", "conn_accept"] and "bytes_sent" in kinds and "conn_close" in kinds,
          "the JSONL has the live connection's conn and bytes events", repr(kinds[:10]))
    rx = {e["seq"]: e["text"] for e in events if e["kind"] == "command" and e.get("rx")}
    check("EHLO laptop.test" in rx.values() and "MAIL FROM:<a@a.example>" in rx.values(),
          "the MX recorded the real client's commands (command events with rx)", repr(rx))
    mail_seq = [k for k, v in rx.items() if v.startswith("MAIL FROM")][0]
    check(any(e["kind"] == "reply" and e.get("answers") == mail_seq and e["text"].startswith("250") for e in events),
          "the 250 to MAIL FROM names the command it answers (the real client's session pairs)")


def t_idle_1000(b):
    """1,000 idle connections: the first 100 (the default limit) are greeted and held, the other 900
    told 421 at once; a session already in progress goes on as if nothing happened."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        print(f"SKIP: the open-files limit ({hard}) is below 1,200")
        sys.exit(77)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    mx = b.port("mx.b.example:25")
    s = socket.create_connection(("127.0.0.1", mx))
    check(recv_until(s, b"\r\n").startswith(b"220"), "a session starts")
    s.sendall(b"EHLO busy.test\r\n")
    recv_until(s, b"250 ")
    idle = []
    for _ in range(1000):
        idle.append(socket.create_connection(("127.0.0.1", mx)))
    greeted = refused = 0
    for c in idle:
        g = recv_until(c, b"\r\n", 3)
        greeted += g.startswith(b"220")
        refused += g.startswith(b"421")
    check(greeted == 99 and refused == 901, f"limit 100: {greeted} more greeted, {refused} told 421")
    start = time.monotonic()
    s.sendall(b"MAIL FROM:<a@a.example>\r\nRCPT TO:<b@b.example>\r\nDATA\r\n")
    got = recv_until(s, b"354", 5)
    s.sendall(b"Subject: busy\r\n\r\nstill here\r\n.\r\nQUIT\r\n")
    got += recv_until(s, b"221", 5)
    took = time.monotonic() - start
    check(b"250 2.0.0 Ok: queued as" in got and took < 2, f"the session in progress finished in {took:.2f} s", repr(got))
    for c in idle:
        c.close()
    s.close()


def recv_until(sock, marker, limit=5.0):
    """Read from a raw socket until `marker` shows up, the peer closes, or `limit` seconds pass."""
    sock.settimeout(0.2)
    data = b""
    end = time.monotonic() + limit
    while marker not in data and time.monotonic() < end:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def t_hostile(b):
    mx = b.port("mx.b.example:25")
    # 18 idle clients (under the limit of 20) do not slow a real session down.
    idle = [socket.create_connection(("127.0.0.1", mx)) for _ in range(18)]
    check(all(recv_until(c, b"\r\n", 3).startswith(b"220") for c in idle), "18 idle clients greeted")
    start = time.monotonic()
    rc, out = swaks(b, "mx.b.example:25", "--body", "beside the idle ones")
    took = time.monotonic() - start
    check(rc == 0 and "queued as" in out and took < 5, f"a session beside 18 idle ones took {took:.2f} s", out)
    # 7 more: 2 reach the limit of 20, 5 are told 421 at once.
    more = [socket.create_connection(("127.0.0.1", mx)) for _ in range(7)]
    greetings = [recv_until(c, b"\r\n", 3) for c in more]
    check(sum(1 for g in greetings if g.startswith(b"421")) == 5 and
          sum(1 for g in greetings if g.startswith(b"220")) == 2, "connection limit 20: 2 more greeted, 5 told 421",
          repr(greetings))
    # --idle-timeout 3s cuts every silent one.
    start = time.monotonic()
    ended = 0
    for c in idle + more:
        recv_until(c, b"__never__", 8)
        ended += 1
        c.close()
    took = time.monotonic() - start
    check(ended == 25 and took < 8, f"all idle connections were cut by --idle-timeout 3s (after {took:.1f} s)")
    rc, out = swaks(b, "mx.b.example:25", "--body", "after the idle ones")
    check(rc == 0 and "queued as" in out, "a normal client is served once the idle ones are gone", out)

    # Bare LF line endings.
    s = socket.create_connection(("127.0.0.1", mx))
    recv_until(s, b"\r\n")
    s.sendall(b"EHLO bare\nMAIL FROM:<x@c.example>\r\n")
    got = recv_until(s, b"\r\n", 3)
    s.close()
    print("bare LF answer:", repr(got))
    check(got[:1] == b"5", "a bare LF inside a command line is refused with 5xx", repr(got))

    # STARTTLS with plaintext pipelined behind it (CVE-2011-0411 style): the plaintext must not be
    # executed inside the TLS session.
    s = socket.create_connection(("127.0.0.1", mx))
    recv_until(s, b"\r\n")
    s.sendall(b"EHLO x\r\n")
    recv_until(s, b"250 ")
    s.sendall(b"STARTTLS\r\nMAIL FROM:<evil@c.example>\r\n")
    got = recv_until(s, b"\r\n", 3)
    check(got.startswith(b"220") or got.startswith(b"5"), "STARTTLS + pipelined plaintext: refused or 220 only",
          repr(got))
    if got.startswith(b"220"):
        ctx = ssl.create_default_context(cafile=b.ca)
        t = ctx.wrap_socket(s, server_hostname="localhost")
        t.sendall(b"EHLO x\r\n")
        got = recv_until(t, b"250 ", 5)
        check(got.startswith(b"250-mx.b.example\r\n") and b"2.1.0" not in got, "the smuggled MAIL FROM was not run", repr(got))
        t.close()
    else:
        s.close()

    # A flood of junk commands: refused one by one, and the server hangs up at some point.
    s = socket.create_connection(("127.0.0.1", mx))
    recv_until(s, b"\r\n")
    s.sendall(b"".join(b"JUNK%d\r\n" % i for i in range(500)))
    got = recv_until(s, b"421", 5)
    s.close()
    print("junk flood answers:", repr(got[:120]), "...", repr(got[-120:]))
    check(b"500 5.5.2" in got and b"421 4.7.0" in got, "junk commands get 500 each, then 421 too many errors", repr(got[-300:]))
    rc, out = swaks(b, "mx.b.example:25", "--body", "after the junk")
    check(rc == 0 and "queued as" in out, "other sessions are unharmed after the junk flood", out)

    # A line far longer than any limit.
    s = socket.create_connection(("127.0.0.1", mx))
    recv_until(s, b"\r\n")
    s.sendall(b"EHLO " + b"x" * 100000 + b"\r\n")
    got = recv_until(s, b"\r\n", 5)
    s.close()
    check(got[:1] == b"5", "an over-long command line gets a 5xx", repr(got[:200]))


TESTS = {
    "swaks-plain": (t_swaks_plain, ["swaks"]),
    "swaks-pipelining": (t_swaks_pipelining, ["swaks"]),
    "swaks-starttls": (t_swaks_starttls, ["swaks"]),
    "swaks-auth": (t_swaks_auth, ["swaks"]),
    "no-open-relay": (t_no_open_relay, ["swaks"]),
    "curl-smtp": (t_curl_smtp, ["curl"]),
    "curl-pop3": (t_curl_pop3, ["curl", "swaks"]),
    "end-to-end": (t_end_to_end, ["curl", "swaks"]),
    "python": (t_python, []),
    "openssl": (t_openssl, ["openssl"]),
    "hostile": (t_hostile, ["swaks"]),
    "msmtp": (t_msmtp, ["msmtp"]),
    "live-randomness": (t_live_randomness, ["openssl"]),
    "pcap": (t_pcap, ["swaks", "tshark"]),
    "idle-1000": (t_idle_1000, []),
    "gateway-aiosmtpd": (t_gateway_aiosmtpd, ["swaks"]),
    "gateway-smtp-sink": (t_gateway_smtp_sink, ["swaks"]),
    "gateway-pop3-dovecot": (t_gateway_pop3_dovecot, []),
    "fetchmail": (t_fetchmail, ["msmtp", "fetchmail"]),
}
EXTRA = {"hostile": ["--max-connections", "20", "--idle-timeout", "3s"], "pcap": ["--pcap", "{dir}/live.pcap"]}


def main():
    smtpsim, name = sys.argv[1], sys.argv[2]
    fn, programs = TESTS[name]
    need(*programs)
    if name.startswith("gateway-") or name == "live-randomness":  # these run their own bridges
        import tempfile

        class Scratch:
            dir = tempfile.mkdtemp(prefix="smtpsim-live-")
        fn(Scratch)
        return
    with Bridge(smtpsim, extra=EXTRA.get(name, [])) as b:
        fn(b)
        report = b.stop()
        check("still queued:" in report, "the bridge stops on SIGTERM and reports its queues", report)


if __name__ == "__main__":
    main()
