"""Alerts: rules matched in-process against new articles, a durable outbox, delivery to webhooks, e-mail, files, logs."""

from search.alerts.dispatch import DeliveryOptions, Dispatcher, DispatchReport
from search.alerts.matcher import AlertMatcher, RuleMatch
from search.alerts.outbox import Outbox, OutboxError
from search.alerts.rules import AlertsFile, Rule

__all__ = [
    "AlertMatcher", "AlertsFile", "DeliveryOptions", "DispatchReport", "Dispatcher", "Outbox", "OutboxError", "Rule",
    "RuleMatch",
]
