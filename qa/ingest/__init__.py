"""Ingestion: files -> documents (loaders), documents -> sentences and passages (chunking), the corpus's
state on disk (freshness) and an index build or update (build)."""
