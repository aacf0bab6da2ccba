"""Comparing schemes side by side, with uncertainty.

* :mod:`~kaoping.compare.channels`: a shared vocabulary of channels and per-scheme maps, so that
  schemes with different indicator systems read one dataset; what a scheme needs and the data lacks
  is listed, never scored as 0;
* :mod:`~kaoping.compare.engine`: variants (schemes, or a baseline and its reforms), side-by-side
  rows, rank shifts, grade transitions, rank correlations and trail differences;
* :mod:`~kaoping.compare.stats`: Kendall's tau-b and Spearman's rho with ties, exactly;
* :mod:`~kaoping.compare.perturb`: Monte Carlo uncertainty of ranks and grades on a fast path;
* :mod:`~kaoping.compare.whatif`: the points, and the part, that reach the next better grade;
* :mod:`~kaoping.compare.report` and :mod:`~kaoping.compare.html`: the outputs.

Internal to kaoping (its ``compare`` command); plugin authors import from :mod:`kaoping.api`.
"""

from __future__ import annotations

from kaoping.compare.channels import CHANNELS, ChannelMap, Gap, parse_channel_map, read_channel_map, translate
from kaoping.compare.engine import Comparison, Variant, VariantSpec, compare_variants, run_variant
from kaoping.compare.perturb import Range, UncertaintyResult, parse_ranges, read_ranges, simulate
from kaoping.compare.stats import kendall_tau_b, spearman_rho
from kaoping.compare.whatif import what_if, what_if_text

__all__ = [
    "CHANNELS",
    "ChannelMap",
    "Comparison",
    "Gap",
    "Range",
    "UncertaintyResult",
    "Variant",
    "VariantSpec",
    "compare_variants",
    "kendall_tau_b",
    "parse_channel_map",
    "parse_ranges",
    "read_channel_map",
    "read_ranges",
    "run_variant",
    "simulate",
    "spearman_rho",
    "translate",
    "what_if",
    "what_if_text",
]
