"""Signs a message with each key Mailroom generated and verifies it against the TXT record
Mailroom asks clients to publish, using dkimpy (an independent DKIM implementation).

Usage: python3 dkimpy_sign_verify.py DIR
DIR holds <algorithm>.key (private key in dkimpy's format) and <algorithm>.txt (the TXT value).
Prints one line per algorithm: "<algorithm> pass" or "<algorithm> fail".
"""
import sys
from pathlib import Path

import dkim

MESSAGE = (b"From: Client A <hello@tx.clienta.example>\r\n"
           b"To: someone@example.net\r\n"
           b"Subject: interop\r\n"
           b"Date: Tue, 24 Nov 2026 00:00:00 +0000\r\n"
           b"Message-ID: <interop@tx.clienta.example>\r\n"
           b"\r\n"
           b"Signed by dkimpy with a key Mailroom generated.\r\n")

directory = Path(sys.argv[1])
for algorithm in ("rsa-sha256", "ed25519-sha256"):
    private_key = (directory / (algorithm + ".key")).read_bytes()
    record = (directory / (algorithm + ".txt")).read_bytes()
    selector = b"sel" + algorithm[:2].encode()
    signature = dkim.sign(MESSAGE, selector, b"tx.clienta.example", private_key,
                          signature_algorithm=algorithm.encode(), include_headers=[b"from", b"to", b"subject"])

    def dns(name, timeout=5, expected=selector + b"._domainkey.tx.clienta.example."):
        return record if name == expected else None

    ok = dkim.verify(signature + MESSAGE, dnsfunc=dns)
    print(algorithm, "pass" if ok else "fail")
