"""Shortlists, scoring and R&D in the back office (being built)."""
