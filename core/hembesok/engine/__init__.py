"""Evaluation: an engine holds compiled programs and turns a case and a date into a plan."""
