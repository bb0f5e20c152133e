"""The one answer for "not found or not allowed".

Services and selectors raise NotFoundOrNotAllowed when the record is missing or the
actor may not see or change it: the same exception for both, so that no caller can
tell one from the other. Pages turn it into 404 (core.middleware), and so will the API.
Nothing below the views raises Http404."""


class NotFoundOrNotAllowed(Exception):
    """The record does not exist, or the actor may not see or change it."""

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)
