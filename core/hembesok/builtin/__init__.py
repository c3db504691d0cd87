"""Plugins that ship with the core and are registered like any installed plugin."""
