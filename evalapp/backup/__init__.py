"""Backing up and restoring the whole database (`evalapp backup|restore FILE`)."""
