"""What every operation module shares."""

from __future__ import annotations


class OperationError(ValueError):
    """A request the data does not allow; the message is fit to show the user."""
