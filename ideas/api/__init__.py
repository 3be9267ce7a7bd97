"""The REST API, version 1 (being built)."""
