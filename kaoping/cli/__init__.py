"""The ``kaoping`` command line (click). Commands live in the modules of this package."""
