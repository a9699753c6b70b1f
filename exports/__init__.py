"""Pure functions from a post-mortem to bytes, one per audience and format."""
