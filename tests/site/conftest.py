import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing passwords properly takes a quarter second per member; not here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
