"""Each user-level action once, written against the core's ports."""
