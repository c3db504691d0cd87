"""The plugin system: hook specifications, the plugin manager, the built-in declarative plugin."""
