"""Pure functions over plain data (lists of (date, value), dicts): no database, no Reflex."""
