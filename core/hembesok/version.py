"""The engine's version, in a module of its own so that nothing inside the package imports its root."""

__version__ = "0.1.0"
