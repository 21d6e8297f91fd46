"""Logging set-up: every line about an article names its feed, URL and stage; optionally JSON lines."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

CONTEXT_FIELDS = ("feed", "url", "stage", "article", "rule", "channel", "error")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName", "color_message"}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = f"{datetime.fromtimestamp(record.created, timezone.utc):%Y-%m-%dT%H:%M:%SZ} {record.levelname:<7} {record.name}: {record.getMessage()}"
        extras = {key: value for key, value in record.__dict__.items() if key not in _STANDARD}
        if extras:
            base += " " + " ".join(f"{key}={_value(value)}" for key, value in extras.items())
        if record.exc_info:
            base += "\n" + self.formatException(record.exc_info)
        return base


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update({key: value for key, value in record.__dict__.items() if key not in _STANDARD})
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


def configure_logging(level: str = "INFO", json_lines: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "trafilatura", "apscheduler.executors.default", "apscheduler.scheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # The client logs every retry of an unreachable node; tradewire's own warning says what it means.
    logging.getLogger("elastic_transport").setLevel(logging.ERROR)


def _value(value: object) -> str:
    text = str(value)
    return json.dumps(text) if any(char.isspace() for char in text) or not text else text
