"""An access log that names the route, never the person or the concrete address.

Werkzeug's development server (behind `make run`) writes the client's IP address and the full
path of every request, and a path can carry a secret: a participant's private link, an
invitation. Its lines are dropped here; the app writes its own line per request instead, with
the method, the route's pattern ("/<lang>/my/<token>"), the status and the time taken."""

import logging
import re
import time

from flask import Flask, g, request

ACCESS_LOG = logging.getLogger("consult.access")

# Werkzeug's access line starts with the client address: "127.0.0.1 - - [date] ...".
_WERKZEUG_ACCESS_LINE = re.compile(r"^\S+ - - \[")


class DropWerkzeugAccessLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _WERKZEUG_ACCESS_LINE.match(str(record.msg))


def _install_filter_once() -> None:
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropWerkzeugAccessLines) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(DropWerkzeugAccessLines())


def init_app(app: Flask) -> None:
    _install_filter_once()
    ACCESS_LOG.setLevel(logging.INFO)
    # Flask gives its logger ("consult") a stderr handler on first use; the access lines, its
    # children, need it under `flask run` as much as werkzeug's lines had their own.
    app.logger  # noqa: B018

    @app.before_request
    def start_clock():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.pop("request_started", None)
        took = f"{(time.perf_counter() - started) * 1000:.0f} ms" if started else "-"
        route = request.url_rule.rule if request.url_rule is not None else "(no route)"
        ACCESS_LOG.info("%s %s %s %s", request.method, route, response.status_code, took)
        return response
