"""Use cases shared by pages (through state/) and workers: the only layer both call."""
