"""Matching evaluation: the engine and three baselines scored side by side by the project's own scorer."""
