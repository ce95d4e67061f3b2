"""Models of people."""
