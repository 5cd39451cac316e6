"""aiosmtpd_sink.py PORT OUTFILE - a real SMTP server (python3-aiosmtpd) for the gateway test: it
appends each message it receives to OUTFILE, prints "listening" and runs until stdin closes."""
import sys

from aiosmtpd.controller import Controller


class Store:
    async def handle_DATA(self, server, session, envelope):
        with open(sys.argv[2], "ab") as f:
            f.write(b"MAIL FROM:" + envelope.mail_from.encode() + b"\n")
            for r in envelope.rcpt_tos:
                f.write(b"RCPT TO:" + r.encode() + b"\n")
            f.write(envelope.original_content or envelope.content)
            f.write(b"\n--END--\n")
        return "250 2.0.0 stored by aiosmtpd"


c = Controller(Store(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("listening", flush=True)
sys.stdin.read()
c.stop()
