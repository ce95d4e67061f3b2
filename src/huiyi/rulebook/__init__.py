"""The rulebook: every number of the specification as data (see standard.yaml, schema.py, loader.py)."""
