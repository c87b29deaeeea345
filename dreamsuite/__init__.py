"""Dream Suite: the career cockpit for independent musicians."""
