"""The ``tradefin`` command line: thin commands over the SDK."""
