"""Embeddings: the Encoder protocol, the default offline Chinese static model, manifests."""
from __future__ import annotations
