"""Errors a user can act on, each with the exit code the CLI documents.

Exit codes: 0 success, 1 partial (some files skipped), 2 usage or query error,
3 index missing, incompatible or locked.
"""


class BeleidzoekError(Exception):
    """An error with a one-line message meant for the user."""

    exit_code = 2


class IndexMissing(BeleidzoekError):
    exit_code = 3


class IndexIncompatible(BeleidzoekError):
    exit_code = 3


class IndexLocked(BeleidzoekError):
    exit_code = 3
