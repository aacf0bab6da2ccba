"""How well ``kaoping new-plugin --from-text`` drafts the built-in schemes from their source texts.

For every built-in scheme whose ``[source] file`` is one of the seed documents, the seed is drafted and
compared with the hand-written scheme (see kaoping/io/draft/evaluation.py for the definitions):

    python benchmarks/draft_eval.py [SEEDS_DIR] [--missed] [--unmatched]

SEEDS_DIR defaults to ../shared/seeds beside the checkout. ``--missed`` also lists the quoted numbers of
each scheme the draft did not find. ``--unmatched`` prints, per seed, every fifth candidate that no
built-in quote covers (the sample judged by hand in docs/drafting.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from kaoping.core.tomlread import read_toml
from kaoping.io.draft.evaluation import evaluate, locate, matches
from kaoping.io.draft.recognise import load_patterns, read_candidates
from kaoping.io.draft.text import Normalised

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
    print_kinds(seeds, [r.seed for r in results])
    if "--unmatched" in argv:
        print_unmatched(seeds, [r.seed for r in results])
    return 0


def print_kinds(seeds: Path, names: list[str]) -> None:
    """Candidates per kind over all seeds, and the share inside a built-in quote."""
    patterns = load_patterns()
    schemes = [read_toml(p) for p in sorted((ROOT / "kaoping" / "plugins").glob("*/scheme.toml"))]
    counts: dict[str, list[int]] = {}
    for name in names:
        text = (seeds / name).read_text(encoding="utf-8")
        norm = Normalised(text, patterns.traditional)
        every = [item for s in schemes if s.get("source", {}).get("file") == name for item in locate(s, norm)]
        for candidate in read_candidates(text, patterns).candidates:
            tally = counts.setdefault(candidate.kind, [0, 0])
            tally[0] += 1
            tally[1] += any(matches(candidate, item) for item in every)
    print(f"\n{'kind':<14} {'cands':>6} {'in a quote':>10}")
    for kind, (total, real) in sorted(counts.items(), key=lambda kv: -kv[1][0]):
        print(f"{kind:<14} {total:>6} {real:>10} {real / total:>6.0%}")


def print_unmatched(seeds: Path, names: list[str]) -> None:
    """Every fifth candidate, per seed, that lies in no built-in quote: the sample to judge by hand."""
    patterns = load_patterns()
    schemes = [read_toml(p) for p in sorted((ROOT / "kaoping" / "plugins").glob("*/scheme.toml"))]
    for name in names:
        text = (seeds / name).read_text(encoding="utf-8")
        norm = Normalised(text, patterns.traditional)
        every = [item for s in schemes if s.get("source", {}).get("file") == name for item in locate(s, norm)]
        unmatched = [c for c in read_candidates(text, patterns).candidates if not any(matches(c, i) for i in every)]
        print(f"\n{name}: {len(unmatched)} candidates in no built-in quote; every fifth:")
        for candidate in unmatched[::5]:
            quote = " ".join(candidate.quote.text.split())[:70]
            print(f"  {candidate.quote.start:>6} {candidate.kind:<12} {candidate.value!s:<6} {quote}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
