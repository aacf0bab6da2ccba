"""How well ``kaoping new-plugin --from-text`` drafts the built-in schemes from their source texts.

For every built-in scheme whose ``[source] file`` is one of the seed documents, the seed is drafted and
compared with the hand-written scheme (see kaoping/io/draft/evaluation.py for the definitions):

    python benchmarks/draft_eval.py [SEEDS_DIR] [--missed]

SEEDS_DIR defaults to ../shared/seeds beside the checkout. ``--missed`` also lists the quoted numbers of
each scheme the draft did not find.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kaoping.io.draft.evaluation import evaluate

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    seeds = Path(args[0]) if args else ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        print(f"no seed documents at {seeds}", file=sys.stderr)
        return 2
    results = evaluate(seeds, sorted((ROOT / "kaoping" / "plugins").glob("*/scheme.toml")))
    print(f"{'seed / scheme':<40} {'quoted':>6} {'found':>6} {'recall':>7} {'cands':>6} {'real':>5} {'precision':>9}")
    quoted = found = candidates = real = 0
    for seed in results:
        print(f"{seed.seed:<40} {'':>6} {'':>6} {'':>7} {seed.candidates:>6} {seed.real:>5} {seed.precision:>9.0%}")
        for s in seed.schemes:
            print(
                f"  {s.scheme:<38} {s.quoted:>6} {s.found:>6} {s.recall:>7.0%} {s.candidates:>6} {s.real:>5}"
                f" {s.precision:>9.0%}"
            )
            quoted += s.quoted
            found += s.found
            if "--missed" in argv:
                for item in s.missed:
                    print(f"      missed {item.path}: {item.quote}")
        candidates += seed.candidates
        real += seed.real
    print(
        f"{'all seeds':<40} {quoted:>6} {found:>6} {found / quoted:>7.0%} {candidates:>6} {real:>5}"
        f" {real / candidates:>9.0%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
