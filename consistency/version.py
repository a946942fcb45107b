"""The package's version, in a module of its own so that any module can read it
without importing the package's public API (and through it the pipeline)."""

from __future__ import annotations

VERSION = "0.1.0"
