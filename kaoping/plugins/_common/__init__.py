"""Helper code shared by several locality plugins (not a plugin itself: the name starts with ``_``)."""
