"""qa: offline question answering over your own documents, with cited supporting sentences."""

__version__ = "0.38.16"
