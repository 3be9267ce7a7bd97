"""Tiny typed readers for settings that come from the environment."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Accept only the words True/False (any case), so a typo cannot flip a switch."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_count(name: str, default: int) -> int:
    """A whole number that may not be negative (a count of proxies, of connections)."""
    value = env_int(name, default)
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be zero or more, not {value}")
    return value


def database_from_env(url: str) -> dict:
    """The database behind DATABASE_URL, with its connections bounded.

    DB_POOL_MAX_SIZE switches on psycopg's pool (PostgreSQL only): each process
    then holds at most that many connections, shared by its threads, whatever
    its thread count. Without it each thread keeps its own for DB_CONN_MAX_AGE
    seconds. DB_STATEMENT_TIMEOUT_MS (0: none) stops a query that runs away, so
    a request whose client has gone does not hold its connection for minutes.
    """
    pool_max_size = env_count("DB_POOL_MAX_SIZE", 0)
    database = dj_database_url.parse(
        url, conn_max_age=0 if pool_max_size else env_count("DB_CONN_MAX_AGE", 60)
    )
    database["CONN_HEALTH_CHECKS"] = True  # with the pool: checked on checkout
    if not database["ENGINE"].endswith("postgresql"):
        if pool_max_size:
            raise ImproperlyConfigured("DB_POOL_MAX_SIZE needs a PostgreSQL database")
        return database
    options = database.setdefault("OPTIONS", {})
    statement_timeout = env_count("DB_STATEMENT_TIMEOUT_MS", 15_000)
    if statement_timeout:
        flag = f"-c statement_timeout={statement_timeout}"
        options["options"] = " ".join(filter(None, [options.get("options"), flag]))
    if pool_max_size:
        options["pool"] = {
            "min_size": min(env_count("DB_POOL_MIN_SIZE", 1), pool_max_size),
            "max_size": pool_max_size,
            # Waiting longer than this for a free connection fails the request.
            "timeout": env_count("DB_POOL_TIMEOUT", 10),
        }
    return database


#: Django's own measure of a weak key (its check security.W009).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def refuse_weak_secret_key(key: str) -> None:
    """With DEBUG off, a key anyone could guess signs sessions, password resets and
    download links: refuse to start rather than warn in a check nobody reads."""
    if key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "SECRET_KEY is Django's insecure development key; set a random one "
            "of at least 50 characters (docs/deploy.md) when DEBUG is off."
        )
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    ):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak: it has {len(key)} characters and "
            f"{len(set(key))} different ones; set a random one of at least "
            f"{SECRET_KEY_MIN_LENGTH} characters (docs/deploy.md) when DEBUG is off."
        )
