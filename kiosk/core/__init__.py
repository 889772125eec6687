"""The domain in plain Python: attendees, codes, check-in rules, search; no Qt, no SQL."""
