"""Delete for real: erase a transcript, or one participant, from a project and its outputs.

What goes, in ONE SQLite transaction with ``secure_delete`` on (see ``ProjectStore.erase``):

- the transcript's rows (transcript, speakers, turns); for a participant, their speaker row and
  turns, and their speech in the stored text replaced by a placeholder of the SAME length
  (``[removed]``, padded with spaces; line breaks kept), their name blanked outside the other
  speakers' speech. Every other speaker's offsets, excerpt keys and edits stay valid.
- the embedding and keyphrase cache rows (keyed by ``text_hash``, also of the text cleaned for
  themes) of every text of that speech:
  each turn (interviewer turns are embedded as the question before an answer) and each excerpt
  as every recorded run's settings cut it. A text that a remaining speaker says word for word is
  kept: it is their words too, and dropping it would only cost a re-computation.
- the whole named-entity cache of name detection (each row holds the names one transcript
  mentions); detection parses the remaining transcripts again when it next runs. The whole
  excerpt-cut cache too (offsets only, but keyed by hashes of speech).
- their excerpts, quotes, participants and pins in EVERY stored run result. A theme that loses
  members keeps only the keyphrases and label words its remaining members say; a theme left
  empty is removed (and from segments); a segment left without participants is removed.
- edits about their excerpts (pins, moves, dismissals); their excerpt keys inside other edits.
- rows of the pseudonymisation review list whose surface only the deleted speech contained.

After the commit: the original file is overwritten and removed (for a participant it is replaced
by the redacted text, since it holds their words; the file hash stays the transcript's identity,
so re-importing the unredacted file is refused as a duplicate), report files that the CLI wrote
into the project folder are rebuilt from the scrubbed result, the pre-migration backups (full
copies of the database) are removed, the database is VACUUMed and its write-ahead log truncated.
A marker committed with the deletion lists what is left; ``complete_pending_erasure`` finishes it
after a crash, and every deletion starts with it. Finally every file of the project folder is read
back to check that no sentence of the deleted speech is left (``DeletionReport.leftovers``).

One-to-one interviews: deleting the only participant of a transcript deletes the whole transcript
(the interviewer's questions were put to that person).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from qualseg.atomic import leftover_parts, write_atomically
from qualseg.config import AnalysisConfig
from qualseg.deletion_scrub import Gone, identity, scrub_edits, scrub_redactions, scrub_report
from qualseg.embed import text_hash
from qualseg.errors import ProjectError
from qualseg.excerpts import excerpt_transcript
from qualseg.models import Span, Transcript
from qualseg.store import ProjectStore, StoredSpeaker
from qualseg.store.project_store import safe_file_name, sha256_hex
from qualseg.theme_text import theme_text

PLACEHOLDER = "[removed]"
REPORT_FOLDER = "report"  # where `qualseg analyze --project` writes its files by default
REPORT_FILES = ("report.json", "report.md", "quotes.csv")
MIN_CHECK_WORDS = 5  # deleted sentences at least this long are searched for afterwards


@dataclass(frozen=True)
class DeletionReport:
    """What a deletion removed, for the researcher and the CLI."""

    what: Literal["transcript", "participant"]
    source: str
    participant: str  # display name; '' for a transcript
    whole_transcript: bool  # the transcript went (always for 'transcript')
    speakers: int = 0
    utterances: int = 0
    excerpts: int = 0  # excerpt entries removed, summed over stored run results
    quotes: int = 0  # theme and segment quotes removed, summed over stored run results
    runs_rewritten: int = 0
    embeddings: int = 0
    phrases: int = 0
    edits_removed: int = 0
    edits_rewritten: int = 0
    redactions: int = 0
    original_removed: bool = False
    backups_removed: tuple[str, ...] = ()
    outputs_rewritten: tuple[str, ...] = ()
    compacted: bool = False
    log_emptied: bool = False
    leftovers: tuple[str, ...] = ()  # files that still hold a deleted sentence (should be none)
    retried: bool = False  # the rows were gone already: an interrupted deletion was finished

    def summary(self) -> str:
        """One paragraph in plain words."""
        who = f"{self.participant} ({self.source})" if self.participant else self.source
        if self.retried:
            head = f"Finished the interrupted deletion of {who}."
        elif self.what == "participant" and self.whole_transcript:
            head = (
                f"Deleted {who} for good: the only participant of the transcript, so the whole "
                "transcript went."
            )
        else:
            head = f"Deleted {who} for good."
        parts = [
            f"{self.speakers} speaker(s), {self.utterances} turn(s)",
            f"{self.excerpts} excerpt(s) and {self.quotes} quote(s) in {self.runs_rewritten} "
            "stored result(s)",
            f"{self.embeddings} cached embedding(s) and {self.phrases} cached keyphrase row(s)",
            f"{self.edits_removed} edit(s) removed, {self.edits_rewritten} rewritten",
        ]
        if self.redactions:
            parts.append(f"{self.redactions} pseudonymisation entr(ies)")
        lines = [head, "Removed: " + "; ".join(parts) + "."]
        if self.original_removed:
            lines.append(
                "The original file was overwritten and removed"
                + (" (replaced by the redacted text)." if not self.whole_transcript else ".")
            )
        if self.what == "participant" and not self.whole_transcript:
            lines.append(
                "What the other speakers said stays, including where they name this person; "
                "exports pseudonymise such names."
            )
        if self.backups_removed:
            lines.append(
                f"{len(self.backups_removed)} pre-migration backup(s) of the database were "
                "removed too, as they held the text: " + ", ".join(self.backups_removed) + "."
            )
        if self.outputs_rewritten:
            lines.append("Rebuilt without it: " + ", ".join(self.outputs_rewritten) + ".")
        if self.compacted:
            lines.append("The database file was rebuilt so the deleted text cannot be recovered.")
        if not self.log_emptied:
            lines.append(
                "Another program is reading the project, so its write-ahead log could not be "
                "emptied yet; close it and delete again (nothing more is removed) to finish."
            )
        if self.leftovers:
            lines.append("STILL FOUND in: " + ", ".join(self.leftovers) + ".")
        return " ".join(lines)


@dataclass(frozen=True)
class Completion:
    """What complete_pending_erasure did."""

    sources: tuple[str, ...] = ()
    originals: int = 0
    backups: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    compacted: bool = False
    log_emptied: bool = True


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
    _write_synced(new_file, text.encode("utf-8"))
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
    orphans = len(store.remove_orphan_originals(_shred))
    pending = store.pending_erasure()
    if pending is None:
        return Completion(originals=orphans)
    outputs = _rebuild_outputs(store)
    backups = []
    for backup in store.migration_backups():
        _shred(backup)
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
    redactions = scrub_redactions(
        store.redaction_surfaces(),
        # a file name can hold a name too ("Interview - Sofia Marquez.docx"): its row goes
        [deleted_text, *([gone.source] if transcript_ids else []), *identity(deleted_speakers)],
        [t.text for t in remaining] + [t.source for t in remaining] + identity(staying),
        [s.display_name for s in deleted_speakers],
    )
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


# -- the text of one speaker -----------------------------------------------------------------------


def redact_speaker(
    transcript: Transcript, speaker: StoredSpeaker, others: list[StoredSpeaker]
) -> tuple[str, tuple[Span, ...]]:
    """The transcript text with this speaker's speech and name blanked, same length.

    Returns:
        The new text and the spans of the removed speech.
    """
    spans = tuple(
        span for u in transcript.utterances if u.speaker == speaker.label for span in u.spans
    )
    protected = [
        span for u in transcript.utterances if u.speaker != speaker.label for span in u.spans
    ]
    for other in others:
        protected += _occurrences(transcript.text, {other.label, other.display_name})
    names = _occurrences(transcript.text, {speaker.label, speaker.display_name})
    blank = list(spans) + [
        (a, b) for a, b in names if not any(x < b and a < y for x, y in protected)
    ]
    chars = list(transcript.text)
    for a, b in blank:
        chars[a:b] = list(placeholder(transcript.text[a:b]))
    text = "".join(chars)
    assert len(text) == len(transcript.text)
    return text, spans


def placeholder(segment: str) -> str:
    """What replaces removed text: ``[removed]`` per line, padded to the same length."""
    return re.sub(r"[^\n]+", lambda m: _fill(len(m.group(0))), segment)


def _fill(n: int) -> str:
    if n >= len(PLACEHOLDER):
        return PLACEHOLDER + " " * (n - len(PLACEHOLDER))
    return "[…]" + " " * (n - 3) if n >= 3 else "…" * n


def _occurrences(text: str, names: Iterable[str]) -> list[Span]:
    found = []
    for name in names:
        if len(name.strip()) < 2:
            continue
        pattern = r"(?<!\w)" + re.escape(name.strip()) + r"(?!\w)"
        found += [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    return found


# -- files ----------------------------------------------------------------------------------------


def find_leftovers(folder: Path, needles: Iterable[str]) -> list[str]:
    """Files under ``folder`` (relative paths) whose bytes still contain one of the texts."""
    encoded = sorted({n.encode("utf-8") for n in needles}, key=len, reverse=True)
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if any(n in data for n in encoded):
            hits.append(str(path.relative_to(folder)))
    return hits


def _rebuild_outputs(store: ProjectStore) -> list[str]:
    """Rebuild the report files the CLI wrote into the project folder from the scrubbed run
    result they came from (removed when that run has no result any more)."""
    from qualseg.report import quotes_csv, report_markdown

    folder = store.folder / REPORT_FOLDER
    for part in leftover_parts(folder, REPORT_FILES):  # a killed write's temporary file
        _shred(part)
    written = folder / REPORT_FILES[0]
    if not written.is_file():
        return []
    try:
        run_id = json.loads(written.read_text("utf-8"))["run"]["id"]
    except (ValueError, KeyError, TypeError):
        run_id = None
    result = dict(store.stored_results()).get(run_id)
    done = []
    for name in REPORT_FILES:
        path = folder / name
        if path.exists():
            # the old bytes are overwritten in place first: a rename alone would leave them
            # in free blocks of the disk
            _shred(path)
        if result is not None:
            content = {
                "report.json": lambda r: json.dumps(r, indent=2, ensure_ascii=False),
                "report.md": report_markdown,
                "quotes.csv": quotes_csv,
            }[name](result)
            write_atomically(path, content.encode("utf-8"))
        done.append(f"{REPORT_FOLDER}/{name}")
    return done


def _shred(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, then remove it."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
