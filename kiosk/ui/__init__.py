"""The Qt front end: the staff desk window and what it needs (fonts, translations, sizes)."""
