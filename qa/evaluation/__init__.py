"""Evaluation: question sets, metrics (pure) and a timed runner over the service."""
