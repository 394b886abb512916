"""File format readers, one module per family; `qa.ingest.loaders` picks one by a file's name. The only code
that knows about file formats and encodings."""
