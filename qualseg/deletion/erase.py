"""The deletion use-cases and their plan: one erase transaction (see the package docstring),
then the files (:mod:`qualseg.deletion.files`)."""

from __future__ import annotations

import dataclasses
import json
from typing import Literal

from qualseg.config import AnalysisConfig
from qualseg.deletion.files import find_leftovers, rebuild_outputs, shred, write_synced
from qualseg.deletion.outcome import Completion, DeletionReport
from qualseg.deletion.speaker_text import redact_speaker
from qualseg.deletion_scrub import (
    Gone,
    identity,
    scrub_edits,
    scrub_redactions,
    scrub_report,
    scrub_terms,
)
from qualseg.embed import text_hash
from qualseg.errors import ProjectError
from qualseg.excerpts import excerpt_transcript
from qualseg.models import Transcript
from qualseg.privacy.seam import forget as forget_pseudonymised
from qualseg.store import ProjectStore, StoredSpeaker
from qualseg.store.project_store import safe_file_name, sha256_hex
from qualseg.theme_text import theme_text

MIN_CHECK_WORDS = 5  # deleted sentences at least this long are searched for afterwards


# -- use-cases --------------------------------------------------------------------------------------


def delete_transcript(store: ProjectStore, source: str) -> DeletionReport:
    """Erase one transcript (by file name) from the project and everything derived from it.

    Holds the project lock throughout: an analysis that started before cannot commit after it
    (``qualseg.store.guard``).

    Raises:
        ProjectError: no transcript of that name (and no interrupted deletion of it).
    """
    with store.exclusive():
        return _delete_transcript(store, source)


def _delete_transcript(store: ProjectStore, source: str) -> DeletionReport:
    pending = store.pending_erasure() or {}
    finished = _complete_pending_erasure(store)
    stored = store.transcript_by_source(source)
    if stored is None:
        if source in pending.get("sources", []):
            return _retry_report("transcript", source, finished)
        known = ", ".join(t.source for t in store.transcripts()) or "none"
        raise ProjectError(
            f"no transcript {source!r} in project {store.name!r} (transcripts: {known})"
        )
    transcript = store.load_transcript(stored.id)
    speakers = store.speakers(stored.id)
    gone = Gone(source, stored.sha256[:12], frozenset(f"P{s.id}" for s in speakers), None)
    remaining = [store.load_transcript(t.id) for t in store.transcripts() if t.id != stored.id]
    return _erase(
        store,
        gone,
        _speech(store, transcript, speakers),
        transcript.text,
        remaining,
        speakers,
        what="transcript",
        participant="",
        transcript_ids=[stored.id],
        speaker_ids=[],
        texts={},
        pending={"originals": [stored.original_path], "sources": [source]},
        settings=_forget_hash(store, stored.sha256),
    )


def delete_participant(store: ProjectStore, speaker_id: int) -> DeletionReport:
    """Erase one speaker (by stored id) and their speech; the other speakers stay as they were.

    Holds the project lock throughout, as ``delete_transcript`` does.

    Raises:
        ProjectError: no speaker with that id.
    """
    with store.exclusive():
        return _delete_participant(store, speaker_id)


def _delete_participant(store: ProjectStore, speaker_id: int) -> DeletionReport:
    _complete_pending_erasure(store)
    speaker = next((s for s in store.speakers() if s.id == speaker_id), None)
    if speaker is None:
        raise ProjectError(f"no participant with id {speaker_id} in project {store.name!r}")
    stored = next(t for t in store.transcripts() if t.id == speaker.transcript_id)
    others = [s for s in store.speakers(stored.id) if s.id != speaker.id]
    if speaker.role == "participant" and not any(s.role == "participant" for s in others):
        whole = _delete_transcript(store, stored.source)
        return dataclasses.replace(whole, what="participant", participant=speaker.display_name)
    transcript = store.load_transcript(stored.id)
    text, spans = redact_speaker(transcript, speaker, others)
    redacted = dataclasses.replace(
        transcript,
        text=text,
        utterances=tuple(u for u in transcript.utterances if u.speaker != speaker.label),
    )
    new_name = (
        f"{stored.sha256[:12]}-redacted-{sha256_hex(text.encode('utf-8'))[:8]}-"
        f"{safe_file_name(stored.source)}.txt"
    )
    new_file = store.originals_dir / new_name
    write_synced(new_file, text.encode("utf-8"))
    gone = Gone(stored.source, stored.sha256[:12], frozenset({f"P{speaker.id}"}), spans)
    remaining = [redacted] + [
        store.load_transcript(t.id) for t in store.transcripts() if t.id != stored.id
    ]
    deleted_text = "\n".join(transcript.text[a:b] for a, b in spans)
    try:
        return _erase(
            store,
            gone,
            _speech(store, transcript, [speaker]),
            deleted_text,
            remaining,
            [speaker],
            what="participant",
            participant=speaker.display_name,
            transcript_ids=[],
            speaker_ids=[speaker.id],
            texts={stored.id: (text, new_name)},
            pending={"originals": [stored.original_path], "sources": []},
        )
    except BaseException:
        if new_name not in store.referenced_originals():
            new_file.unlink(missing_ok=True)
        raise


def complete_pending_erasure(store: ProjectStore) -> Completion:
    """Finish what a committed deletion left to do (after a crash, or every time: it is cheap).

    Removes originals no transcript points to; when a deletion is pending, also rebuilds report
    files, removes pre-migration backups, compacts the database, then clears the marker.
    """
    with store.exclusive():
        return _complete_pending_erasure(store)


def _complete_pending_erasure(store: ProjectStore) -> Completion:
    orphans = len(store.remove_orphan_originals(shred))
    pending = store.pending_erasure()
    if pending is None:
        return Completion(originals=orphans)
    outputs = rebuild_outputs(store)
    backups = []
    for backup in store.migration_backups():
        shred(backup)
        backups.append(backup.name)
    compacted, _ = store.compact()
    store.clear_pending_erasure()
    _, log_emptied = store.compact()
    return Completion(
        sources=tuple(pending.get("sources", [])),
        originals=orphans,
        backups=tuple(backups),
        outputs=tuple(outputs),
        compacted=compacted,
        log_emptied=log_emptied,
    )


# -- the plan and its execution ----------------------------------------------------------------------


def _erase(
    store: ProjectStore,
    gone: Gone,
    speech: set[str],
    deleted_text: str,
    remaining: list[Transcript],
    deleted_speakers: list[StoredSpeaker],
    *,
    what: Literal["transcript", "participant"],
    participant: str,
    transcript_ids: list[int],
    speaker_ids: list[int],
    texts: dict[int, tuple[str, str]],
    pending: dict,
    settings: dict[str, str] | None = None,
) -> DeletionReport:
    results: dict[int, dict] = {}
    n_excerpts = n_quotes = 0
    gone_speakers = {s.id for s in deleted_speakers}
    kept_texts = {u.text_in(t.text) for t in remaining for u in t.utterances}
    for run_id, result in store.stored_results():
        speech |= {e["text"] for e in result.get("excerpts", []) if gone.item(e)}
        scrubbed, removed, quotes = scrub_report(result, gone)
        kept_texts |= {e["text"] for e in scrubbed.get("excerpts", [])}
        if scrubbed != result:
            results[run_id] = scrubbed
            n_excerpts, n_quotes = n_excerpts + removed, n_quotes + quotes
    corpus = [t.text.lower() for t in remaining]
    edit_ids, payloads = scrub_edits(store.edits(include_undone=True), gone, corpus)
    hashes = sorted(cache_keys(speech) - cache_keys(kept_texts))
    staying = [s for s in store.speakers() if s.id not in gone_speakers]
    # a file name can hold a name too ("Interview - Sofia Marquez.docx"): its row goes
    deleted = [
        deleted_text,
        *([gone.source] if transcript_ids else []),
        *identity(deleted_speakers),
    ]
    kept = [t.text for t in remaining] + [t.source for t in remaining] + identity(staying)
    redactions = scrub_redactions(
        store.redaction_surfaces(), deleted, kept, [s.display_name for s in deleted_speakers]
    )
    settings = {**(settings or {}), **_forget_terms(store, deleted, kept)}
    counts = store.erase(
        transcript_ids=transcript_ids,
        speaker_ids=speaker_ids,
        texts=texts,
        text_hashes=hashes,
        results=results,
        edit_ids=edit_ids,
        edit_payloads=payloads,
        redactions=redactions,
        pending=pending,
        settings=settings,
    )
    forget_pseudonymised(store)  # no pseudonymised copy of the erased words stays in memory
    finished = _complete_pending_erasure(store)
    # Words someone remaining also says (a question asked in every interview) are not leftovers.
    needles = {
        t
        for t in speech - kept_texts
        if len(t.split()) >= MIN_CHECK_WORDS and not any(t in r.text for r in remaining)
    }
    return DeletionReport(
        what=what,
        source=gone.source,
        participant=participant,
        whole_transcript=bool(transcript_ids),
        speakers=counts["speakers"],
        utterances=counts["utterances"],
        excerpts=n_excerpts,
        quotes=n_quotes,
        runs_rewritten=counts["runs"],
        embeddings=counts["embeddings"],
        phrases=counts["phrases"],
        edits_removed=counts["edits"],
        edits_rewritten=counts["edits_rewritten"],
        redactions=counts["redactions"],
        original_removed=finished.originals > 0,
        backups_removed=finished.backups,
        outputs_rewritten=finished.outputs,
        compacted=finished.compacted,
        log_emptied=finished.log_emptied,
        leftovers=tuple(find_leftovers(store.folder, needles)),
    )


def _forget_hash(store: ProjectStore, sha256: str) -> dict[str, str]:
    """The settings rows rewritten without a deleted file's hash (the list of files whose
    identifiers were detected); unchanged otherwise, so detection does not run again."""
    from qualseg.privacy.review import DETECTED_KEY, get_setting

    try:
        hashes = json.loads(get_setting(store, DETECTED_KEY) or "null")
    except ValueError:
        return {}
    if not isinstance(hashes, list) or sha256 not in hashes:
        return {}
    return {DETECTED_KEY: json.dumps(sorted(h for h in hashes if h != sha256))}


def _forget_terms(store: ProjectStore, deleted: list[str], kept: list[str]) -> dict[str, str]:
    """The settings row of the not-personal terms rewritten without those only the deleted
    text or person held; empty when none goes."""
    from qualseg.privacy.review import NOT_PERSONAL_KEY, not_personal

    terms = not_personal(store)
    left = scrub_terms(terms, deleted, kept)
    return {NOT_PERSONAL_KEY: json.dumps(left)} if left != terms else {}


def _retry_report(what: Literal["transcript"], source: str, done: Completion) -> DeletionReport:
    return DeletionReport(
        what=what,
        source=source,
        participant="",
        whole_transcript=True,
        original_removed=done.originals > 0,
        backups_removed=done.backups,
        outputs_rewritten=done.outputs,
        compacted=done.compacted,
        log_emptied=done.log_emptied,
        retried=True,
    )


def cache_keys(texts: set[str]) -> set[str]:
    """Every cache key derived from these texts: the text's hash, its ``theme_text``'s (themes
    are built from cleaned text) and its keyphrase row's."""
    from qualseg.describe import phrase_key

    return {h for t in texts for h in (text_hash(t), text_hash(theme_text(t)), phrase_key(t))}


def _speech(store: ProjectStore, transcript: Transcript, speakers: list[StoredSpeaker]) -> set[str]:
    """Every text of these speakers the caches may hold: each turn, and each excerpt as every
    recorded run's settings (and the defaults) cut it, from the original transcript and from
    the pseudonymised one (what a pseudonymising run embeds)."""
    from qualseg.privacy import pseudonymiser_for
    from qualseg.privacy.study import pseudonymise_transcript

    pseudo, _forward = pseudonymise_transcript(transcript, pseudonymiser_for(store))
    texts: set[str] = set()
    for version in (transcript, pseudo) if pseudo.text != transcript.text else (transcript,):
        texts |= _texts_of(store, version, speakers)
    return texts


def _texts_of(
    store: ProjectStore, transcript: Transcript, speakers: list[StoredSpeaker]
) -> set[str]:
    labels = {s.label for s in speakers}
    texts = {u.text_in(transcript.text) for u in transcript.utterances if u.speaker in labels}
    ids = {s.label: s.id for s in speakers}
    default = AnalysisConfig()
    cuts = {(default.min_excerpt_words, default.max_excerpt_words)}
    for config in store.run_configs():
        cuts.add(
            (
                int(config.get("min_excerpt_words", default.min_excerpt_words)),
                int(config.get("max_excerpt_words", default.max_excerpt_words)),
            )
        )
    for low, high in sorted(cuts):
        found = excerpt_transcript(transcript, ids, key_prefix="", min_words=low, max_words=high)
        texts |= {e.text for e in found}
    return texts
