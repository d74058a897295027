"""The development server's log (what `make run` prints) holds no IP address and no secret from
a path, and still says which route answered how."""

import logging
import threading
import urllib.error
import urllib.request

from werkzeug.serving import make_server

SECRET = "Xq7vR2mK9pL4sT8wZ3nB6cF1-planted-secret"


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_served_request_is_logged_without_address_or_secret(app, caplog):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO):
            base = f"http://127.0.0.1:{server.server_port}"
            assert fetch(f"{base}/de/my/{SECRET}?token={SECRET}") == 404
            assert fetch(f"{base}/de/privacy") == 200
    finally:
        server.shutdown()
    lines = [record.getMessage() for record in caplog.records]
    everything = "\n".join(lines)
    assert "127.0.0.1" not in everything
    assert SECRET not in everything
    assert any(line.startswith("GET /<lang:lang>/privacy 200 ") for line in lines), lines
    assert any("/my/<" in line and " 404 " in line for line in lines), lines
