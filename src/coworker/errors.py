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


class ToolInputError(CoworkerError):
    """The model called a tool wrongly; the message tells it how to call it right.

    It becomes an `is_error` tool result, never an error shown to the person.
    """


class ActionNotPending(CoworkerError):
    """A decision on an action that is no longer waiting for one."""

    def __init__(self, action_id: str, status: str) -> None:
        super().__init__(f"action {action_id} is {status}, not pending; nothing was executed")
        self.action_id = action_id
        self.status = status


class ActionNotFound(CoworkerError):
    def __init__(self, action_id: str) -> None:
        super().__init__(f"no action {action_id}")
        self.action_id = action_id


class NotAllowed(CoworkerError):
    """Someone other than the requester (or a configured approver) tried to decide."""


class MessageTooLong(CoworkerError):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"message is {length:,} characters; the limit is {limit:,}")
        self.length = length
        self.limit = limit


class ConversationNotFound(CoworkerError):
    def __init__(self, conversation_id: str) -> None:
        super().__init__(f"no conversation {conversation_id}")
        self.conversation_id = conversation_id


class DialsheetKeyMissing(CoworkerError):
    """This person has not connected a Dialsheet key, and there is no shared one."""


class DialsheetKeyRejected(CoworkerError):
    """A key someone tried to connect does not work against the CRM."""


class EvalError(CoworkerError):
    """An eval run cannot start: a missing case path, invalid case YAML, a bad option.

    `path`, `case_id` and `field` name exactly what to fix (any may be None).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        case_id: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.case_id = case_id
        self.field = field
