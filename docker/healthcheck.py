"""Container health check for the web process: GET /healthz on the local gunicorn; exit 0 on 200, 1 otherwise.

Used by the Dockerfile's HEALTHCHECK and by docker-compose.yml. Standard library only (the image has no curl).

The request carries a Host header that Django accepts: HEALTHCHECK_HOST if set, else the first concrete name in
ALLOWED_HOSTS (a leading dot is dropped, wildcards are skipped), else "localhost". /healthz is exempt from
SECURE_SSL_REDIRECT (SECURE_REDIRECT_EXEMPT in production settings), so plain http on the container port is enough.
"""

import os
import sys
import urllib.error
import urllib.request


def host_header() -> str:
    explicit = os.environ.get("HEALTHCHECK_HOST", "").strip()
    if explicit:
        return explicit
    for name in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = name.strip().lstrip(".")
        if name and "*" not in name:
            return name
    return "localhost"


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
    request = urllib.request.Request(url, headers={"Host": host_header(), "Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - fixed local http URL
            body = response.read(2048).decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as exc:  # 503 (a dependency is down), 400 (Host refused), ...
        body = exc.read(2048).decode("utf-8", "replace")
        status = exc.code
    except OSError as exc:  # refused, timed out: gunicorn is not (yet) answering
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    print(f"{status} {body}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
