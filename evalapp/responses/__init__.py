"""Responses: storing what observers and young people answered (see `recording`)."""
