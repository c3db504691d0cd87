"""Tools for program authors: lint, examples as tests, coverage, scaffolding, pytest plugin."""
