"""Errors a service raises for the caller to show; each carries a plain message."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused operation; ``str(error)`` is fit to show to the person."""


class InvalidInput(ServiceError):
    """Input that breaks a rule; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotAuthenticated(ServiceError):
    """No valid session: the token is missing, expired, forged or its user is gone."""


class TooManyAttempts(ServiceError):
    """Slowed down after repeated failures; ``retry_after`` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class WaitingForEarlier(ServiceError):
    """A message written after another of the same person's that is not stored
    yet: stored first, it would read out of order. It is sent again after
    ``retry_after`` seconds (by then the earlier one is stored, or was refused
    and no longer comes before it)."""

    def __init__(self, retry_after: int = 1) -> None:
        super().__init__("Waiting for the message written before it.")
        self.retry_after = retry_after


class NotFound(ServiceError):
    """The thing does not exist or is not yours to see; deliberately the same message."""


class Forbidden(ServiceError):
    """A member asked for something their role does not allow."""
