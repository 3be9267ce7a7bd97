"""API tokens in the back office (being built)."""
