"""Domain errors: raised by services, their message is shown to the person as is."""


class IdeaError(Exception):
    """Base class; ``str(error)`` is a sentence a member can read."""


class NotAllowed(IdeaError):
    pass


class AlreadyDone(IdeaError):
    """The action was already taken (a double click); nothing changed."""


class InvalidInput(IdeaError):
    pass


class RateLimited(IdeaError):
    pass


class StorageFailed(IdeaError):
    """The media storage refused a file; nothing was changed, and the same request
    may succeed in a moment."""
