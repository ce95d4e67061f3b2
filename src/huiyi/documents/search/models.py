"""Models of docsearch."""
