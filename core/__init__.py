"""The bottom layer every package stands on: the document model, the data directory's files, one way to open a
SQLite database, clock and duration helpers. It imports nothing of tradewire's own."""
