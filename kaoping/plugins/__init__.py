"""Locality plugins shipped with kaoping: one subpackage per documented scheme.

Every subpackage here is registered as a built-in plugin under its subpackage name.
"""
