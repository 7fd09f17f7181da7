"""Who changed a record and why, for the history row django-simple-history writes on save."""

from typing import Any


def attribute_change(instance: Any, *, by: Any, reason: str) -> None:
    """Name the user and the reason of the next save of `instance` in its history."""
    instance._history_user = by
    instance._change_reason = reason
