"""Models of sop."""
