"""Evaluation rounds: their lifecycle, scope and the observers' assignments."""
