"""Normalisers: free text from talent and job records → canonical values, one pure module per kind."""
from __future__ import annotations
