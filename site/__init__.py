"""Cocreate: the Django project and its site-wide apps (imported as ``cocreate``)."""
