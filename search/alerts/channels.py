"""Sending one alert to one channel: webhook, e-mail, JSON lines file, log, or any apprise service."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import httpx

from tradewire.search.alerts.jsonl import JsonlFile
from tradewire.search.alerts.message import plain_text, slack_message, subject
from tradewire.search.alerts.outbox import Delivery
from tradewire.search.alerts.rules import (
    AppriseChannel,
    Channel,
    EmailChannel,
    JsonlChannel,
    LogChannel,
    WebhookChannel,
)

log = logging.getLogger("tradewire.alerts")


class DeliveryError(Exception):
    """One attempt failed; the outbox retries it later."""


class Sender:
    """Holds what sending needs across attempts: one HTTP client, the data directory for relative file paths."""

    def __init__(self, data_dir: Path, user_agent: str) -> None:
        self.data_dir = data_dir
        self.http = httpx.AsyncClient(headers={"User-Agent": user_agent}, follow_redirects=False)
        self._file_lock = asyncio.Lock()
        self._files: dict[Path, JsonlFile] = {}

    async def close(self) -> None:
        await self.http.aclose()

    async def send(self, channel: Channel, delivery: Delivery) -> None:
        try:
            if isinstance(channel, WebhookChannel):
                await self._webhook(channel, delivery)
            elif isinstance(channel, EmailChannel):
                await self._email(channel, delivery)
            elif isinstance(channel, JsonlChannel):
                await self._jsonl(channel, delivery)
            elif isinstance(channel, LogChannel):
                self._log(channel, delivery)
            elif isinstance(channel, AppriseChannel):
                await self._apprise(channel, delivery)
        except DeliveryError:
            raise
        except (httpx.HTTPError, aiosmtplib.SMTPException, OSError, ValueError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}".strip(": ")) from None

    async def _webhook(self, channel: WebhookChannel, delivery: Delivery) -> None:
        payload: dict[str, Any] = (
            slack_message(delivery.content) if channel.format == "slack"
            else {**delivery.content, "idempotency_key": delivery.key}
        )
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": delivery.key,
            "X-Tradewire-Alert": delivery.alert_id,
            **channel.headers,
        }
        secret = channel.resolve_secret(channel.secret, channel.secret_env)
        if secret:
            headers["X-Tradewire-Signature"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        response = await self.http.post(channel.url, content=body, headers=headers, timeout=channel.timeout)
        if not response.is_success:
            raise DeliveryError(f"webhook answered HTTP {response.status_code} {response.reason_phrase}".strip())

    async def _email(self, channel: EmailChannel, delivery: Delivery) -> None:
        message = EmailMessage()
        message["From"] = channel.sender
        message["To"] = ", ".join(channel.to)
        message["Subject"] = subject(delivery.content)
        message["Message-ID"] = f"<{delivery.key}@tradewire>"
        message["X-Tradewire-Alert"] = delivery.alert_id
        message.set_content(plain_text(delivery.content))
        await aiosmtplib.send(
            message,
            hostname=channel.host,
            port=channel.port,
            start_tls=channel.security == "starttls",
            use_tls=channel.security == "tls",
            username=channel.username,
            password=channel.resolve_secret(channel.password, channel.password_env),
            timeout=channel.timeout,
        )

    async def _jsonl(self, channel: JsonlChannel, delivery: Delivery) -> None:
        path = channel.path if channel.path.is_absolute() else self.data_dir / channel.path
        async with self._file_lock:
            file = self._files.setdefault(path, JsonlFile(path))
            await asyncio.to_thread(file.append, delivery.key, delivery.content)

    @staticmethod
    def _log(channel: LogChannel, delivery: Delivery) -> None:
        level = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}[channel.level]
        content = delivery.content
        log.log(level, subject(content), extra={"rule": content["rule"], "alert": delivery.alert_id,
                                                 "url": content.get("url"), "why": content.get("why")})

    @staticmethod
    async def _apprise(channel: AppriseChannel, delivery: Delivery) -> None:
        import apprise  # imported only when a rule uses it

        notifier = apprise.Apprise()
        for url in channel.urls:
            notifier.add(url.get_secret_value())
        if not await notifier.async_notify(title=subject(delivery.content), body=plain_text(delivery.content)):
            raise DeliveryError("apprise could not notify one or more services")

