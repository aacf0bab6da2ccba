"""Reading data and writing reports: the layer above the engine.

The engine (:mod:`kaoping.core`) works on a :class:`~kaoping.core.models.Dataset` and returns a
:class:`~kaoping.core.results.RunResult`; this package turns files into the one and the other into files.
Its dataset loader is a default plugin (:mod:`kaoping.io.loader`), registered by the plugin host by name,
so the engine never imports it.

Internal: plugin authors import from :mod:`kaoping.api`.
"""
