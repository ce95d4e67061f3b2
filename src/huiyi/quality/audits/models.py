"""Models of audits."""
