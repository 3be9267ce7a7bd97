"""What a wheel installs: every package folder of the tree is listed in
pyproject.toml (an editable install finds them all and hides a missing one)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"cocreate": "site", "ideas": "ideas", "rewards": "rewards"}


def packages_in_the_tree() -> set[str]:
    found = set()
    for name, folder in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((name, *parts)))
    return found


def test_every_package_of_the_tree_is_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    assert packages_in_the_tree() - listed == set()
    assert listed - packages_in_the_tree() == set()


def test_templates_and_static_files_are_read_from_the_tree():
    from django.conf import settings

    assert settings.BASE_DIR == ROOT
    assert (settings.BASE_DIR / "templates" / "base.html").is_file()
