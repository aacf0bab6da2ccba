"""The engine: data models, scheme files, scoring primitives, grading and the pipeline that runs them.

Internal: plugin authors import from :mod:`kaoping.api`, which re-exports the stable names; the modules
here may be renamed or split in any release.
"""
