"""Grade gates: a scheme whose source names no grade cut-offs needs them from the deployment.

(A unit barred from a grade by a ``disqualify`` veto is moved down by the core's grading, also when its
score falls in that grade's band.)
"""

from __future__ import annotations

from kaoping.core.errors import MissingParameterError
from kaoping.core.scheme import Scheme


def require_grading(scheme: Scheme, what: str) -> None:
    """Raise when a scheme whose source names no cut-offs is run without the deployment's grading."""
    if not scheme.grading.bands and not scheme.grading.quotas:
        raise MissingParameterError(
            f"{scheme.id}: {what}; set grading.grades and grading.bands (or grading.quotas) in the overrides"
        )
