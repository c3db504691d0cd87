"""Pure data: truth values, the date contract, texts, cases, programs, instruments, plans."""
