"""Scoring rounds from the database with the pure functions of ``reports``.

``frames`` reads a round into the tidy DataFrames ``reports`` takes; ``version`` names the
state of a round's data; ``service`` computes (cached under that version), freezes and reads
score tables.
"""
