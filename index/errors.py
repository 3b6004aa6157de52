"""Errors a user can act on, each with the exit code the CLI documents.

Exit codes: 0 success, 1 partial (some files skipped) or an internal error,
2 usage or query error, 3 the index is missing, incompatible, locked or cannot
be written, 130 interrupted (Ctrl-C).
"""


class BeleidzoekError(Exception):
    """An error with a one-line message meant for the user."""

    exit_code = 2


class IndexMissing(BeleidzoekError):
    exit_code = 3


class IndexIncompatible(BeleidzoekError):
    exit_code = 3


class IndexLocked(BeleidzoekError):
    """Another process is writing the index (and did not finish within ``--wait``)."""

    exit_code = 3


class IndexWriteError(BeleidzoekError):
    """Writing the index failed (disk full, read-only folder, ...); the last commit is kept.

    An index problem, not a problem with the files being indexed, hence exit
    code 3 like the other index errors: the user has to fix the index folder's
    disk, not the corpus.
    """

    exit_code = 3


class IndexInterrupted(KeyboardInterrupt):
    """Indexing was interrupted (Ctrl-C); what was committed is kept.

    A ``KeyboardInterrupt`` so library callers that stop on Ctrl-C still do,
    carrying the count the CLI reports ("kept N committed files").
    """

    exit_code = 130

    def __init__(self, committed_files: int):
        super().__init__(f"interrupted: kept {committed_files} committed "
                         f"file{'' if committed_files == 1 else 's'}; run again to resume")
        self.committed_files = committed_files
