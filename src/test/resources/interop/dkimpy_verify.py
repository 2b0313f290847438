"""Verifies every DKIM signature of a message with dkimpy (the library behind dkimverify).

Usage: python3 dkimpy_verify.py MESSAGE_FILE DNS_FILE
DNS_FILE has lines "name TXT-value" (first space separates). Prints "pass" or "fail" per signature.
"""
import sys

import dkim

message = open(sys.argv[1], "rb").read()
records = {}
for line in open(sys.argv[2], "rb").read().splitlines():
    name, value = line.split(b" ", 1)
    records[name.rstrip(b".") + b"."] = value


def dns(name, timeout=5):
    return records.get(name)


signatures = sum(1 for line in message.split(b"\r\n") if line.lower().startswith(b"dkim-signature:"))
verifier = dkim.DKIM(message)
for index in range(signatures):
    try:
        ok = verifier.verify(idx=index, dnsfunc=dns)
    except dkim.DKIMException as error:  # dkimpy raises on some failures, e.g. a body hash mismatch
        print("error:", error, file=sys.stderr)
        ok = False
    print("pass" if ok else "fail")
