"""Accounts and roles. The login pages come with the observer issue; identity is here."""
