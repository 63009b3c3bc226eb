"""Ingestion: files → Documents (``loaders``) → chunks (``chunking``) → vectors (``embedding``) → Chroma (``store``).

``pipeline.ingest_paths`` runs it incrementally (unchanged files skipped, changed ones replaced, removed
ones dropped), one ingestion at a time per index (``locking``).
"""
