"""Everything that touches the outside world: the SQLite store, files, keys and resources."""
