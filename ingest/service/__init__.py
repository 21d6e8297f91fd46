"""`tradewire serve`, in small pieces: lifecycle (serve), feed jobs (scheduling), health and metrics (health),
feed changes from the API (feed_changes), the API's socket (listener)."""

from tradewire.ingest.service.listener import ServiceError
from tradewire.ingest.service.serve import Service, send_reload

__all__ = ["Service", "ServiceError", "send_reload"]
