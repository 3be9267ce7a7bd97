"""Domain errors of the points economy: ``str(error)`` is shown to the person as is."""


class RewardsError(Exception):
    pass


class NotAllowed(RewardsError):
    pass


class InvalidInput(RewardsError):
    pass


class NotEnoughPoints(RewardsError):
    pass


class Unavailable(RewardsError):
    """Out of stock, outside its window or past the member's limit."""


class WrongState(RewardsError):
    """The redemption is no longer in a state that allows this action."""
