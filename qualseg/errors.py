"""Errors that carry a message fit to show a researcher."""

from __future__ import annotations


class QualsegError(Exception):
    """Base class for every error qualseg raises on purpose."""


class IngestError(QualsegError):
    """A file could not be read as a transcript.

    Attributes:
        source: the file name as given by the user.
        problem: what is wrong, in plain words.
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class ConfigError(QualsegError, ValueError):
    """An analysis setting has a value that means nothing (an unknown granularity...)."""


class ProjectError(QualsegError):
    """A project operation was refused (unknown project, bad name, conflicting edit...)."""
