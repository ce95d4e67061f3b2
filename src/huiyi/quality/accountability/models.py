"""Models of accountability."""
