"""Storing questionnaires in the database as immutable versions."""
