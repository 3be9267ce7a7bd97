class PrivacyError(Exception):
    """A request about a member's data that cannot be carried out, in words."""


class NotAllowed(PrivacyError):
    pass


class TooSoon(PrivacyError):
    pass


class BadLink(PrivacyError):
    pass
