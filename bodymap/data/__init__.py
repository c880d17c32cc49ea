"""The clinical catalog: models, loading and validating the data files, search."""
