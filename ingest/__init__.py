"""The driver: feeds, fetching, extraction, the pipeline to the index, the scheduler, the CLI and the service."""

__version__ = "0.1.0"
