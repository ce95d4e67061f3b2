"""One scanner of the contested check-in (issue 10), a process of its own: standard library only, one
keep-alive HTTP/1.1 connection, one new Idempotency-Key per scan. It connects, says "ready", waits for a line
on stdin (every scanner starts at once), redeems its codes in the given order and prints a JSON summary.

    python tests/faults/scanner.py job.json   (job: port, token, device, project, codes)
"""

import http.client
import json
import sys
import uuid
from collections import Counter


def main(job: dict) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", job["port"], timeout=120)
    connection.connect()
    headers = {
        "Host": "127.0.0.1",
        "Authorization": f"Token {job['token']}",
        "Content-Type": "application/json",
    }
    print("ready", flush=True)
    sys.stdin.readline()
    results: Counter = Counter()
    statuses: Counter = Counter()
    errors: list[str] = []
    ok: list[str] = []
    for code in job["codes"]:
        body = json.dumps({"code": code, "device": job["device"], "project": job["project"]})
        try:
            connection.request(
                "POST", "/api/v1/checkin/redeem/", body, {**headers, "Idempotency-Key": uuid.uuid4().hex}
            )
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{code}: {error!r}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", job["port"], timeout=120)
            continue
        statuses[response.status] += 1
        if response.status != 200:
            errors.append(f"{code}: HTTP {response.status} {data[:200]!r}")
            continue
        result = json.loads(data)["result"]
        results[result] += 1
        if result == "ok":
            ok.append(code)
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", job["port"], timeout=120)
    connection.close()
    return {"results": dict(results), "statuses": dict(statuses), "errors": errors[:20], "ok": ok}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        print(json.dumps(main(json.load(source))), flush=True)
