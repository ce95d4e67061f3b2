"""Models of borrowing."""
