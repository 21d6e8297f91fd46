"""Alerts: rules matched in-process against new articles, a durable outbox, delivery to webhooks, e-mail, files, logs."""

from core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports({
    "AlertMatcher": "search.alerts.matcher", "AlertsFile": "search.alerts.rules", "DeliveryOptions": "search.alerts.options",
    "DispatchReport": "search.alerts.dispatch", "Dispatcher": "search.alerts.dispatch", "Outbox": "search.alerts.outbox",
    "OutboxError": "search.alerts.outbox", "Rule": "search.alerts.rules", "RuleMatch": "search.alerts.matcher",
})
