"""Verifies every DKIM signature of a message with dkimpy (the library behind dkimverify).

Usage: python3 dkimpy_verify.py MESSAGE_FILE DNS_FILE
       python3 dkimpy_verify.py MESSAGE_FILE dns://HOST:PORT
DNS_FILE has lines "name TXT-value" (first space separates); dns:// asks that DNS server, as
dkimverify asks the system's resolver. Prints "pass" or "fail" per signature.
"""
import sys

import dkim

message = open(sys.argv[1], "rb").read()
source = sys.argv[2]
if source.startswith("dns://"):
    import dns.resolver

    host, port = source[len("dns://"):].rsplit(":", 1)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = int(port)

    def dns_lookup(name, timeout=5):
        try:
            answer = resolver.resolve(name.decode("ascii"), "TXT", lifetime=timeout)
        except Exception:  # NXDOMAIN, no answer, timeout: dkimpy takes None as "no key"
            return None
        return b"".join(answer[0].strings)
else:
    records = {}
    for line in open(source, "rb").read().splitlines():
        name, value = line.split(b" ", 1)
        records[name.rstrip(b".") + b"."] = value

    def dns_lookup(name, timeout=5):
        return records.get(name)


signatures = sum(1 for line in message.split(b"\r\n") if line.lower().startswith(b"dkim-signature:"))
verifier = dkim.DKIM(message)
for index in range(signatures):
    try:
        ok = verifier.verify(idx=index, dnsfunc=dns_lookup)
    except dkim.DKIMException as error:  # dkimpy raises on some failures, e.g. a body hash mismatch
        print("error:", error, file=sys.stderr)
        ok = False
    print("pass" if ok else "fail")
