"""Models of disposition."""
