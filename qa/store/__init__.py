"""Where vectors and sentence tables live. `open_store` picks the backend named by the `store` setting;
a new backend is a sibling module implementing qa.store.base.Store."""

from __future__ import annotations

from qa.config import STORE_CHOICES, Settings, is_milvus
from qa.errors import QAError
from qa.store.base import Store


def open_store(settings: Settings) -> Store:
    if settings.store == "local":
        from qa.store.local import LocalStore

        return LocalStore(settings.corpus, settings.index_dir)
    if is_milvus(settings.store):
        from qa.store.milvus import MilvusStore

        return MilvusStore(settings.corpus, settings.store, settings.model)
    raise QAError(f"store {settings.store!r} is not {STORE_CHOICES}")
