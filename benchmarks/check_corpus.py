"""Recall and false errors of `openasc check` per check type, over the seeded test corpus.

The same corpus and scoring as tests/check/test_check_corpus.py (which asserts recall ≥ 95%
and ≤ 1 false error per 20 pages); this prints the table per check type, for the seeds given
(the test uses 14; other seeds are drafts the checker was not tuned on).

    python benchmarks/check_corpus.py [--seeds 14 1 2 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from _harness import write_result

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "check"))

from draft_corpus import score  # noqa: E402
from test_check_corpus import run_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[14])
    args = ap.parse_args()
    total = None
    per_seed = {}
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            specs, results = run_corpus(Path(tmp), seed=seed)
            s = score(results, specs)
        per_seed[seed] = {"drafts": len(specs), "pages": s.pages, "recall": round(s.recall, 4),
                          "false_errors_per_20_pages": round(s.false_per_20_pages, 3),
                          "missed": s.missed, "false": s.false}
        if total is None:
            total = s
        else:
            for name in ("seeded", "found", "false_errors", "false_warnings"):
                getattr(total, name).update(getattr(s, name))
            total.pages += s.pages
    assert total is not None
    rows = total.table()
    print(f"{'check':<18} {'seeded':>6} {'found':>6} {'recall':>7} {'false err':>9} "
          f"{'false warn':>10}")
    for r in rows:
        recall = "-" if r["recall"] is None else f"{r['recall']:.1%}"
        print(f"{r['check']:<18} {r['seeded']:>6} {r['found']:>6} {recall:>7} "
              f"{r['false_errors']:>9} {r['false_warnings']:>10}")
    print(f"{'all':<18} {sum(total.seeded.values()):>6} {sum(total.found.values()):>6} "
          f"{total.recall:>7.1%} {sum(total.false_errors.values()):>9} "
          f"{sum(Counter(total.false_warnings).values()):>10}   over {total.pages} pages: "
          f"{total.false_per_20_pages:.2f} false errors per 20 pages")
    write_result("check_corpus", {"seeds": args.seeds, "per_check": rows,
                                  "recall": round(total.recall, 4), "pages": total.pages,
                                  "false_errors_per_20_pages":
                                      round(total.false_per_20_pages, 3),
                                  "per_seed": per_seed})


if __name__ == "__main__":
    main()
