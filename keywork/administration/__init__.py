"""Running the organisation: its staff and their roles, its set-up (areas, services,
teams) and its audit. These pages stand on the access module, which itself stands on
the accounts, organisations and audit records they manage, so they live above it."""
