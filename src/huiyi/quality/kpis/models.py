"""Models of kpis."""
