"""Errors the library raises. Only the CLI turns them into messages and exit codes."""


class QAError(Exception):
    """Base class: the message is one line a user can act on."""


class ModelError(QAError):
    """The embedding model could not be found or loaded."""


class CorpusError(QAError):
    """The corpus path is missing, empty or unreadable."""


class IndexError_(QAError):
    """The index on disk is unusable."""


class QuestionError(QAError):
    """The question itself is unusable (empty, malformed question file...)."""
