"""Everything that embeds or labels excerpts after a run reads them through the privacy seam:
no planted name reaches the embedding cache or a label by the excerpt map, a split or a re-run."""

from __future__ import annotations

from qualseg import editing, service
from qualseg.editing import current_state
from qualseg.embed import text_hash
from qualseg.privacy.review import set_enabled
from qualseg.privacy.seam import model_texts
from qualseg.running import run_analysis
from tests.privacy.test_running import NAMES, _recording


def _named(texts) -> list[str]:
    texts = list(texts)
    return [n for n in NAMES if any(n in t for t in texts)]


def test_map_split_and_rerun_embed_and_label_no_name(analyzed_store, monkeypatch):
    store = analyzed_store
    embedder = _recording()
    monkeypatch.setattr(service, "embedder_for", lambda name: embedder)
    monkeypatch.setattr(editing, "embedder_for", lambda name: embedder)

    _run_id, report = run_analysis(store, embedder=embedder)
    by_run = len(embedder.seen)
    assert _named(e["text"] for e in report["excerpts"])  # the researcher's view has names

    coords = service.excerpt_map(store, report)
    assert set(coords) == {e["id"] for e in report["excerpts"]}
    # the map reads the texts the run embedded: (almost) all from the cache
    assert len(embedder.seen) - by_run <= len(report["excerpts"]) // 50

    state = current_state(store)
    theme = max(
        (t for t in state.report["themes"] if len(t["excerpts"]) >= 4),
        key=lambda t: sum(
            any(n in e["text"] for n in NAMES)
            for e in state.report["excerpts"]
            if e["id"] in set(t["excerpts"])
        ),
    )
    by_key = {e["id"]: e for e in state.report["excerpts"]}
    assert _named(by_key[k]["text"] for k in theme["excerpts"])  # a theme whose quotes name
    editing.split_theme(store, theme["id"])
    split = store.edits()[-1].payload
    labels = [split["label"], split["kept_label"], *split["keyphrases"]]
    assert _named(labels) == []

    run_analysis(store, embedder=embedder)  # a re-run after the edits
    assert _named(embedder.seen) == []
    cached = {
        r["text_hash"]
        for r in store.query("SELECT text_hash FROM embeddings WHERE model = ?", (embedder.name,))
    }
    assert cached <= {text_hash(t) for t in embedder.seen}  # the cache holds only those texts


def test_model_texts_are_the_originals_when_the_project_does_not_pseudonymise(analyzed_store):
    store = analyzed_store
    excerpts = store.latest_result()[1]["excerpts"]
    pseudo = model_texts(store, excerpts)
    assert _named(pseudo) == [] and _named(e["text"] for e in excerpts)
    assert sum(a == e["text"] for a, e in zip(pseudo, excerpts, strict=True)) > len(excerpts) // 2
    set_enabled(store, False)
    assert model_texts(store, excerpts) == [e["text"] for e in excerpts]


def test_model_texts_follow_the_review_list_and_parse_a_transcript_once(
    analyzed_store, monkeypatch
):
    """Pseudonymised transcripts are kept between calls (a split, the map), never served for a
    changed review list: a rejected name comes back in the texts at once."""
    from qualseg.privacy import seam
    from qualseg.privacy.review import list_redactions, reject

    store = analyzed_store
    excerpts = store.latest_result()[1]["excerpts"]
    first = model_texts(store, excerpts)
    calls = []
    real = seam.pseudonymise_transcript
    monkeypatch.setattr(
        seam, "pseudonymise_transcript", lambda t, p: calls.append(t.source) or real(t, p)
    )
    assert model_texts(store, excerpts) == first
    assert calls == []  # nothing pseudonymised again

    said = " ".join(e["text"] for e in excerpts)
    names = [n for n in NAMES if n in said and n not in " ".join(first)]
    reject(store, [r.id for r in list_redactions(store) if r.surface in names])
    again = model_texts(store, excerpts)
    assert calls, "a changed review list pseudonymises again"
    assert again != first

    seam.forget(store)
    calls.clear()
    assert model_texts(store, excerpts) == again  # what a fresh pseudonymisation gives
    assert calls  # forgotten: pseudonymised afresh
