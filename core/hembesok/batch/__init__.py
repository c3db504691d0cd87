"""Planning many cases: records in, one line per record out, in order."""
