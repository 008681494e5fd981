"""Speaker labels a reader found but qualseg must not trust: refused with a plain reason.

* A label that is HTML or script code (``<script>...</script>``, ``<img src=x>``): formatting
  tags (``<b>Maya</b>``) are removed by the readers, anything else left is refused rather than
  stored as a person's name.
* One label for the whole of a conversation (``Speaker:`` before every line, questions and
  answers alike): the interviewer's questions would be analysed as the customer's words, so
  the file is refused until each person has a label of their own.
* A label under which questions are answered by the next turn of the same label, beside other
  speakers: two people may share it; noted for the import report, not refused.
"""

from __future__ import annotations

from qualseg.errors import IngestError
from qualseg.ingest.markup import MARKUP
from qualseg.ingest.notes import note
from qualseg.ingest.roles import is_question
from qualseg.models import Transcript

MIN_ANSWERED = 2  # questions answered under the same label ...
MIN_QUESTION_SHARE = 0.2  # ... and this share of the pieces of speech being questions
MIN_SELF_ANSWERS = 2  # a label answering its own question this often is noted ...
MIN_ANSWER_WORDS = 5  # ... counting answers of at least this many words


def check_labels(t: Transcript) -> None:
    """Refuse a transcript whose speaker labels are markup, or whose one label holds both
    sides of a conversation.

    Raises:
        IngestError: naming the file and the label.
    """
    for speaker in t.speakers:
        if MARKUP.search(speaker):
            shown = speaker if len(speaker) <= 50 else speaker[:47] + "..."
            raise IngestError(
                t.source,
                f"a speaker label is HTML or script code ({shown!r}), not a name; export the "
                "transcript as plain text with names as labels, or remove the markup",
            )
    if len(t.speakers) == 1:
        answered = _answered_questions(t)
        if answered is not None:
            label = t.speakers[0]
            raise IngestError(
                t.source,
                f"every turn is labelled {label!r}, yet the file reads as a conversation "
                f"({answered} questions answered under that same label): qualseg cannot tell "
                "the interviewer's words from the participant's. Give each person a label of "
                "their own (for example 'Interviewer:' and the participant's name) and import "
                "it again",
            )


def note_shared_labels(t: Transcript) -> None:
    """Note a label under which questions are answered by the next turn of the same label,
    twice or more (``Maya: Why?`` then ``Maya: Because...``): two people may share it (an
    interviewer and a participant both called Maya). Only noted: consecutive turns of one
    speaker also happen when a transcriber splits a turn."""
    if len(t.speakers) < 2:
        return
    counts: dict[str, int] = {}
    turns = t.utterances
    for first, second in zip(turns, turns[1:], strict=False):
        if first.speaker != second.speaker:
            continue
        answer = second.text_in(t.text)
        answered = is_question(first.text_in(t.text)) and not is_question(answer)
        if answered and len(answer.split()) >= MIN_ANSWER_WORDS:
            counts[first.speaker] = counts.get(first.speaker, 0) + 1
    for speaker, n in counts.items():
        if n >= MIN_SELF_ANSWERS:
            note(
                f"under the label {speaker!r}, a question is answered by the next turn of the "
                f"same label {n} times: if two people share that label, give each their own "
                "(their words are otherwise counted as one person's)"
            )


def _answered_questions(t: Transcript) -> int | None:
    """How many questions are followed by an answer under the one label, when that makes the
    file a dialogue; None when it reads as one person speaking (a monologue with a few
    rhetorical questions)."""
    if len(t.utterances) >= 2:
        pieces = [u.text_in(t.text) for u in t.utterances]
    else:
        pieces = [t.text[a:b] for u in t.utterances for a, b in u.spans]
    asks = [is_question(p) for p in pieces]
    answered = sum(1 for k in range(len(asks) - 1) if asks[k] and not asks[k + 1])
    if answered >= MIN_ANSWERED and sum(asks) >= MIN_QUESTION_SHARE * len(asks):
        return answered
    return None
