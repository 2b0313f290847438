"""Parses a message with Python's email package (an independent MIME implementation) and prints
what a mail client would show, as JSON: decoded headers, parts, attachment names and sizes."""
import hashlib
import json
import sys
from email import policy
from email.parser import BytesParser

message = BytesParser(policy=policy.default).parse(open(sys.argv[1], "rb"))
result = {name: str(message[name]) for name in ("From", "To", "Cc", "Reply-To", "Subject", "Message-ID",
                                                "List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID", "X-Campaign")
          if message[name] is not None}
result["defects"] = [str(d) for d in message.defects]
result["parts"] = []
for part in message.walk():
    if part.is_multipart():
        result["parts"].append(part.get_content_type())
        continue
    entry = {"type": part.get_content_type(), "defects": [str(d) for d in part.defects]}
    if part.get_filename():
        payload = part.get_payload(decode=True)
        entry.update(filename=part.get_filename(), size=len(payload), sha256=hashlib.sha256(payload).hexdigest())
    else:
        entry["text"] = part.get_content()
    result["parts"].append(entry)
print(json.dumps(result))
