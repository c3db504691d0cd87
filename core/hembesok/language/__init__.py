"""The program language: conditions, and compiling programs and instruments into evaluators."""
