"""Suar: early warning, protection and secure exchange against trafficking into scam compounds."""

__version__ = "0.1.0"

__all__ = ["__version__"]
