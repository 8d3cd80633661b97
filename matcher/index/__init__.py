"""Search indexes over encoded records: FAISS (dense), BM25 postings (sparse), id slots and snapshots."""
from __future__ import annotations
