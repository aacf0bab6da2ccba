"""Channel maps for built-in schemes whose plugins do not ship their own (``<scheme id>.toml``)."""
