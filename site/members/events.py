"""Events about members, declared for listeners (notifications)."""

from django.dispatch import Signal

#: A moderator sanctioned a member. Arguments: ``sanction``.
member_sanctioned = Signal()
