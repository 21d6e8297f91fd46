"""Alerts: rules matched in-process against new articles, a durable outbox, delivery to webhooks, e-mail, files, logs."""

from tradewire.core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports({
    "AlertMatcher": "tradewire.search.alerts.matcher", "AlertsFile": "tradewire.search.alerts.rules", "DeliveryOptions": "tradewire.search.alerts.options",
    "DispatchReport": "tradewire.search.alerts.dispatch", "Dispatcher": "tradewire.search.alerts.dispatch", "Outbox": "tradewire.search.alerts.outbox",
    "OutboxError": "tradewire.search.alerts.outbox", "Rule": "tradewire.search.alerts.rules", "RuleMatch": "tradewire.search.alerts.matcher",
})
