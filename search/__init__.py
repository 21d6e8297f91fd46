"""Finding and watching: the query language, the index backends, alert rules and delivery, the HTTP API and web page."""
