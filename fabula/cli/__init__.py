"""The command-line interface: a thin layer over the public API."""

from fabula.cli.main import main

__all__ = ["main"]
