"""The local sandbox platform: a real OAuth 2 server and API with deterministic demo data."""
