"""Where vectors and sentence tables live. `open_store` picks the backend named by the `store` setting;
a new backend is a sibling module implementing qa.store.base.Store."""

from __future__ import annotations

from qa.config import Settings
from qa.errors import QAError
from qa.store.base import Store


def open_store(settings: Settings) -> Store:
    if settings.store == "local":
        from qa.store.local import LocalStore

        return LocalStore(settings.corpus, settings.index_dir)
    from qa.store.milvus import MilvusStore, is_milvus

    if is_milvus(settings.store):
        return MilvusStore(settings.corpus, settings.store, settings.model)
    raise QAError(f"store {settings.store!r} is not 'local', a milvus-lite file (*.db) or a Milvus server's http(s):// address (QA_STORE)")
