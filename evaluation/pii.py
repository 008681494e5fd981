"""Recall and precision of pseudonymisation, measured: ``python -m evaluation.pii``.

Each study is imported into a fresh project, its identifiers detected as an analysis would
(``detect_and_store``), and the project's pseudonymiser applied to every transcript text. Scored
against what was planted:

- identifiers: the synthetic interviews' ``truth.json`` (``evaluation/pii_synthetic``), the
  studies' ``gold.json`` (each file's ``pii`` lists plus its participant and interviewer), the
  sample's ``identifiers.json``;
- non-identifiers that must stay (``keep``): products, competitors and tools, regulations,
  holidays and months, in the synthetic interviews.

A mention is an occurrence of a listed surface (longest first, never inside a longer one). An
identifier mention is caught when replaced regions cover it; a kept term is kept when no replaced
region touches it. "distinct" counts a (file, surface) pair as caught only when every one of its
mentions is. ``other`` counts replaced regions that touch no listed surface (for the studies,
whose products are not listed, these are mostly product and tool names: ``--verbose`` lists them).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.corpus import SAMPLE, STUDY_DIRS, load_gold, study_name
from qualseg.privacy.pseudonymiser import Pseudonymiser

SYNTHETIC = Path(__file__).resolve().parent / "pii_synthetic"
GOLD_PII = ("people", "organizations", "places", "emails", "phones")
# The product under study and the products it competes with, as each study's README names them
# (and, for the sample, the tools its participants use). The studies' gold lists some of them as
# organisations to redact; qualseg keeps product, competitor and tool names by default, so they
# are scored as terms to keep, and the recall with them counted as identifiers is shown beside.
PRODUCTS: dict[str, tuple[str, ...]] = {
    "sample": (
        "Ledgerly",
        "QuickBooks",
        "QuickBooks Online",
        "QuickBooks Desktop",
        "Sage Intacct",
        "Power BI",
        "SAP",
        "SAP Business One",
        "NetSuite",
        "LinkedIn",
        "Slack",
        "Teams",
        "Excel",
    ),
    "appsec-tooling": ("Sentrybay", "Gravelock", "Patchwell", "Keyfence"),
    "clinic-staffing": ("Rosterwell", "CredPath", "CertVault", "ShiftHarbor", "RotaDesk"),
    "fleet-maintenance": (
        "Wrenchline",
        "IronVigil",
        "ShopTally",
        "Ledgerwell",
        "RouteHalo",
        "Parcelwick",
        "Teams",
        "Zoom",
    ),
}


@dataclass(frozen=True)
class Truth:
    """What one file holds: identifier surfaces by category, and terms that must stay."""

    identifiers: dict[str, list[str]]
    keep: list[str] = field(default_factory=list)


@dataclass
class PiiScore:
    """The figures of one study."""

    study: str
    distinct: int = 0
    distinct_caught: int = 0
    mentions: int = 0
    caught: int = 0
    keep_distinct: int = 0
    keep_distinct_kept: int = 0
    keep_mentions: int = 0
    kept: int = 0
    other: int = 0
    missed: list[str] = field(default_factory=list)
    redacted_keep: list[str] = field(default_factory=list)
    other_surfaces: list[str] = field(default_factory=list)

    @property
    def distinct_recall(self) -> float:
        return self.distinct_caught / self.distinct if self.distinct else 1.0

    @property
    def mention_recall(self) -> float:
        return self.caught / self.mentions if self.mentions else 1.0

    @property
    def kept_share(self) -> float | None:
        return self.keep_distinct_kept / self.keep_distinct if self.keep_distinct else None

    def row(self, with_products: PiiScore | None = None) -> dict:
        return {
            "study": self.study,
            "identifiers": self.distinct,
            "distinct_recall": round(self.distinct_recall, 3),
            "mentions": self.mentions,
            "mention_recall": round(self.mention_recall, 3),
            "keep_terms": self.keep_distinct,
            "kept_share": None if self.kept_share is None else round(self.kept_share, 3),
            "other_redactions": self.other,
            "recall_if_products_were_identifiers": None
            if with_products is None
            else round(with_products.distinct_recall, 3),
        }


# -- truth -------------------------------------------------------------------------------------


def synthetic_truth(folder: Path = SYNTHETIC) -> dict[str, Truth]:
    data = json.loads((folder / "truth.json").read_text("utf-8"))["files"]
    return {f: Truth(dict(v["identifiers"]), list(v.get("keep", []))) for f, v in data.items()}


def gold_truth(folder: Path, *, products_kept: bool = True) -> dict[str, Truth]:
    """The planted identifiers of a corpus study (gold.json ``pii``, participant, interviewer)
    or of the sample (identifiers.json); the study's products as terms to keep (or, with
    ``products_kept`` False, left among the identifiers as the gold lists them)."""
    if folder.resolve() == SAMPLE.resolve():
        data = json.loads((folder / "identifiers.json").read_text("utf-8"))["files"]
        raw = {f: {c: list(v) for c, v in cats.items()} for f, cats in data.items()}
    else:
        raw = {}
        for name, gold in load_gold(folder).items():
            cats = {c: list(gold.get("pii", {}).get(c, [])) for c in GOLD_PII}
            cats["speakers"] = [gold[k] for k in ("participant", "interviewer") if gold.get(k)]
            raw[name] = cats
    products = set(PRODUCTS.get(study_name(folder), ())) if products_kept else set()
    return {
        f: Truth(
            {c: [s for s in v if s not in products] for c, v in cats.items()}, sorted(products)
        )
        for f, cats in raw.items()
    }


# -- scoring -----------------------------------------------------------------------------------


def _mentions(text: str, surfaces: list[str]) -> list[tuple[int, int, str]]:
    ordered = sorted(set(surfaces), key=lambda s: (-len(s), s))
    if not ordered:
        return []
    regex = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in ordered) + r")(?!\w)")
    return [(m.start(), m.end(), m.group(0)) for m in regex.finditer(text)]


def _covered(start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    """Whether the union of the regions covers [start, end)."""
    at = start
    for a, b in sorted(regions):
        if a <= at < b:
            at = b
        if at >= end:
            return True
    return at >= end


def score_texts(
    study: str, texts: Mapping[str, str], truth: Mapping[str, Truth], p: Pseudonymiser
) -> PiiScore:
    """Score a pseudonymiser on the texts (source -> stored text) of the listed files."""
    score = PiiScore(study)
    for source, t in sorted(truth.items()):
        text = texts.get(source)
        if text is None:
            raise SystemExit(f"{study}: truth names {source!r}, which is not in the study")
        ids = {s for v in t.identifiers.values() for s in v if s}
        regions = [
            (r.start, r.end) for r in p.replacements(text) if r.pseudonym != text[r.start : r.end]
        ]
        mentions = _mentions(text, [*ids, *t.keep])
        by_surface: dict[str, list[bool]] = {}
        for start, end, surface in mentions:
            if surface in ids:
                ok = _covered(start, end, regions)
                score.mentions += 1
                score.caught += ok
                if not ok:
                    score.missed.append(f"{source}: {surface}")
            else:
                ok = not any(a < end and start < b for a, b in regions)
                score.keep_mentions += 1
                score.kept += ok
                if not ok:
                    score.redacted_keep.append(f"{source}: {surface}")
            by_surface.setdefault(surface, []).append(ok)
        for surface, oks in by_surface.items():
            if surface in ids:
                score.distinct += 1
                score.distinct_caught += all(oks)
            else:
                score.keep_distinct += 1
                score.keep_distinct_kept += all(oks)
        for a, b in regions:
            if not any(a < end and start < b for start, end, _s in mentions):
                score.other += 1
                score.other_surfaces.append(text[a:b])
    return score


def measure(study: str, folder: Path, *truths: Mapping[str, Truth]) -> list[PiiScore]:
    """Import a study into a fresh project, detect its identifiers, score the pseudonymiser
    against each truth."""
    from qualseg.privacy import pseudonymiser_for
    from qualseg.privacy.review import detect_and_store
    from qualseg.service import import_directory
    from qualseg.store import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        store = Workspace(Path(tmp)).open("pii", create=True)
        try:
            import_directory(store, folder)
            detect_and_store(store)
            texts = {t.source: store.load_transcript(t.id).text for t in store.transcripts()}
            p = pseudonymiser_for(store)
            return [score_texts(study, texts, truth, p) for truth in truths]
        finally:
            store.close()


def _readable(data: bytes) -> str:
    """An export's text: the members of a zip package (docx, xlsx, qdpx) or the bytes."""
    import io
    import zipfile

    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return data.decode("utf-8", "replace")


def speaker_names(folder: Path) -> set[str]:
    """Each participant's and interviewer's full name, first name and surname."""
    if folder.resolve() == SAMPLE.resolve():
        gold = json.loads((folder / "gold.json").read_text("utf-8"))["files"]
        fulls = {g["participant"] for g in gold.values() if g.get("participant")}
    else:
        gold = load_gold(folder)
        fulls = {g[k] for g in gold.values() for k in ("participant", "interviewer") if g.get(k)}
    parts = {w for f in fulls for w in f.replace("Dr ", "").split() if len(w) >= 3}
    return fulls | parts


def export_leaks(folder: Path) -> dict[str, list[str]]:
    """Analyze a study (hashing embedder) and render every export format; the participant and
    interviewer names each format still holds (none expected)."""
    from qualseg.embed import HashingEmbedder
    from qualseg.exports.registry import FORMATS, export_project, unavailable
    from qualseg.running import run_analysis
    from qualseg.service import import_directory
    from qualseg.store import Workspace

    names = speaker_names(folder)
    leaks: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Workspace(Path(tmp)).open("pii", create=True)
        try:
            import_directory(store, folder)
            run_analysis(store, embedder=HashingEmbedder())
            for fmt in FORMATS:
                if unavailable(fmt):
                    continue
                text = _readable(export_project(store, fmt))
                found = sorted(
                    n for n in names if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text)
                )
                leaks[fmt] = found
        finally:
            store.close()
    return leaks


def all_studies() -> list[tuple[str, Path, list[dict[str, Truth]]]]:
    """(name, folder, truths): products kept, then (studies) products as the gold lists them."""
    studies = [("synthetic", SYNTHETIC, [synthetic_truth()])]
    studies += [
        (study_name(f), f, [gold_truth(f), gold_truth(f, products_kept=False)]) for f in STUDY_DIRS
    ]
    return studies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.pii", description=__doc__)
    parser.add_argument("--only", nargs="*", help="study names (synthetic, sample, ...)")
    parser.add_argument("--verbose", action="store_true", help="list misses and false hits")
    parser.add_argument("--json", type=Path, help="also write the table as JSON")
    parser.add_argument(
        "--exports",
        action="store_true",
        help="also analyze each study and count speaker names left in every export format",
    )
    args = parser.parse_args(argv)
    rows = []
    for name, folder, truths in all_studies():
        if args.only and name not in args.only:
            continue
        score, *also = measure(name, folder, *truths)
        rows.append(score.row(also[0] if also else None))
        if args.exports and name != "synthetic":
            leaks = export_leaks(folder)
            rows[-1]["names_in_exports"] = sum(len(v) for v in leaks.values())
            if args.verbose:
                print(f"  names in exports: {leaks}", file=sys.stderr)
        if args.verbose:
            print(f"== {name}", file=sys.stderr)
            print("  missed: " + "; ".join(score.missed), file=sys.stderr)
            print("  keep terms redacted: " + "; ".join(score.redacted_keep), file=sys.stderr)
            print(
                "  other redactions: " + "; ".join(sorted(set(score.other_surfaces))),
                file=sys.stderr,
            )
    header = list(dict.fromkeys(k for r in rows for k in r))
    print(" | ".join(header))
    for r in rows:
        print(" | ".join("-" if r.get(h) is None else str(r[h]) for h in header))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
