"""The HTTP API: a thin FastAPI layer over matcher's store and its one matching pipeline."""
