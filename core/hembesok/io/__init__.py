"""Documents in and out: safe YAML/JSON reading with positions, schemas, located problems, loading."""
