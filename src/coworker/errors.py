"""The project's one exception root and its typed subclasses.

Every failure the service can explain carries structured fields, so channels can render it
and the agent can turn it into a tool result without parsing strings. Errors that should
steer the model (a bad tool call) are kept apart from failures of the system.
"""

from __future__ import annotations


class CoworkerError(Exception):
    """Root of every error this project raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(CoworkerError):
    """The settings cannot work together (a placeholder secret in production, say)."""


class DialsheetError(CoworkerError):
    """The CRM API answered with an error, or could not be reached.

    `api_message` is the API's own `error` text, kept so a person (or the model) sees
    exactly what the CRM said. The API key is never part of any field.
    """

    status: int | None = None

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        api_message: str | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
        self.api_message = api_message
        self.operation = operation


class DialsheetUnauthorized(DialsheetError):
    status = 401


class DialsheetNotFound(DialsheetError):
    status = 404


class DialsheetValidationError(DialsheetError):
    status = 400


class DialsheetConflict(DialsheetError):
    status = 409


class DialsheetRateLimited(DialsheetError):
    status = 429

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class DialsheetServerError(DialsheetError):
    """A 5xx answer: the CRM failed on its side."""


class DialsheetUnavailable(DialsheetError):
    """The CRM could not be reached, or did not answer in time, before anything was sent."""


class DialsheetOutcomeUnknown(DialsheetError):
    """An outbound request (email, SMS, enrollment) left, but no answer came back.

    The action may or may not have happened. It is never retried automatically: it must be
    reconciled by looking the send up in the CRM's history.
    """


class ModelError(CoworkerError):
    """The model could not produce a turn (after the SDK's own retries)."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable
