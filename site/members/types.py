"""The user types that services and selectors annotate with.

``User`` is the project's user model, named once here so that a signature says
``actor: User`` without each module calling ``get_user_model()``; ``Actor`` is
for the reads a visitor who has not signed in may make too.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from cocreate.members.models import User

Actor: TypeAlias = User | AnonymousUser

__all__ = ["Actor", "User"]
