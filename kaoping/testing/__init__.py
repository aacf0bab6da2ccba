"""The conformance suite for kaoping plugins (also loaded by pytest through the ``pytest11`` entry point)."""
