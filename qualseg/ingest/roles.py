"""Role detection: for each speaker of a transcript, interviewer, participant or other.

Evidence, strongest first:

1. the label itself (``Interviewer``, ``Q``, ``Moderator`` / ``Participant``, ``A``,
   ``Respondent``);
2. the file's header (``Interviewer: Maya Chen``, ``Interview with Daniel Okafor, ...``) and a
   participant name hint (from participants.csv);
3. the numbers: an interviewer asks most of the questions and says little; participants say
   most of the words (several participants may share one call); a speaker with a tiny share of
   words and turns is "other".

Every speaker gets a short reason ("asks 14 of 18 questions, 16% of words"). Generic participant
labels (``Participant``, ``A``) get a display name from the header's ``A = Name`` line, the
hint or the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qualseg.ingest.header_labels import label_names
from qualseg.ingest.labelled_text import roster_name
from qualseg.ingest.names import is_generic_label, is_name, role_of_label, word_set
from qualseg.models import Role, Transcript

TINY_WORD_SHARE = 0.03  # below this share of words and ...
TINY_TURN_SHARE = 0.1  # ... of turns, a speaker is "other"
ONE_TURN_SHARE = 0.1  # a speaker with one turn and less than this share of words is "other"
INTERVIEWER_QUESTION_RATIO = 0.4  # a further interviewer asks at least this share of turns...
INTERVIEWER_MAX_SHARE = 0.25  # ... and says at most this share of the words

_QUESTION_STARTS = word_set(
    "what why how when where who whom whose which can could would will do does did is are was "
    "were have has should shall may might tell walk talk describe explain"
)
_FILLERS = word_set("so and but okay ok right well um uh great sure yeah alright")
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_WITH = re.compile(
    r"\b(?:interview|conversation|call|chat|session|meeting|discussion|talk)\s+with\s+"
    r"(?P<name>[^\n]{1,80})",
    re.IGNORECASE,
)
_ROSTER = re.compile(
    r"^[ \t]*(?P<role>[^\W\d_][^\W\d]{0,20})[ \t]*[:：][ \t]*(?P<rest>[^\n]{1,100})$"
)
_PARTICLES = {"de", "da", "van", "von", "der", "del", "di", "du", "la", "le", "al", "el", "bin"}


@dataclass
class _Stats:
    words: int = 0
    turns: int = 0
    questions: int = 0


def detect_roles(transcript: Transcript, *, participant_name: str | None = None) -> Transcript:
    """The transcript with ``roles``, ``role_reasons`` and ``participant_names`` filled anew.

    Args:
        transcript: a parsed transcript.
        participant_name: the participant's name when known (participants.csv); the speaker
            whose label matches it is the participant, or a generic participant label
            (``Participant``, ``A``) is given it as display name.
    """
    speakers = transcript.speakers
    if not speakers:
        return replace(transcript, roles={}, role_reasons={}, participant_names={})
    detection = _Detection(transcript)
    detection.run((participant_name or "").strip() or None)
    return replace(
        transcript,
        roles={s: detection.roles[s] for s in speakers},
        role_reasons={s: detection.reasons[s] for s in speakers},
        participant_names=detection.names,
    )


def is_question(speech: str) -> bool:
    """A turn that asks: ends with '?', or is short and starts with a question word."""
    text = speech.strip().rstrip("\"'”’)]")
    words = _WORDS.findall(speech.casefold())
    if text.endswith("?"):
        return True
    if len(words) > 40:
        return False
    if "?" in text:
        return True
    i = 0
    while i < min(3, len(words)) and words[i] in _FILLERS:
        i += 1
    return i < len(words) and words[i] in _QUESTION_STARTS


def leading_name(text: str) -> str | None:
    """The personal name a phrase starts with (``Daniel Okafor, Brightwave Media`` ->
    ``Daniel Okafor``; ``J. Osei from Lumen`` -> ``J. Osei``), or None."""
    words = []
    for word in text.strip().split()[:4]:
        clean = word.rstrip(",;:()—–-")
        if not clean or not (clean[0].isupper() or clean.casefold() in _PARTICLES):
            break
        words.append(clean)
        if clean != word:
            break
    while words and words[-1].casefold() in _PARTICLES:
        words.pop()
    name = " ".join(words)
    return name if is_name(name) else None


def names_match(hint: str, label: str) -> bool:
    """Whether a speaker label refers to a person named ``hint`` (``J. Osei`` and
    ``Joseph Osei``, ``Chen, Maya`` and ``Maya Chen``, ``Daniel`` and ``Daniel Okafor``)."""
    h, s = _tokens(hint), _tokens(label)
    if not h or not s:
        return False
    if h == s or sorted(h) == sorted(s):
        return True
    if h[-1] == s[-1] and (len(h) == 1 or len(s) == 1 or h[0][0] == s[0][0]):
        return True
    return len(s) == 1 and s[0] == h[0]


def _tokens(name: str) -> list[str]:
    return _WORDS.findall(name.casefold())


class _Detection:
    """The evidence and the decisions for one transcript."""

    def __init__(self, transcript: Transcript) -> None:
        self.t = transcript
        self.speakers = transcript.speakers
        self.stats = {s: _Stats() for s in self.speakers}
        for u in transcript.utterances:
            speech = u.text_in(transcript.text)
            st = self.stats[u.speaker]
            st.words += len(speech.split())
            st.turns += 1
            st.questions += is_question(speech)
        self.total_words = sum(st.words for st in self.stats.values()) or 1
        self.total_turns = len(transcript.utterances) or 1
        self.total_questions = sum(st.questions for st in self.stats.values())
        self.roles: dict[str, Role] = {}
        self.reasons: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.hint_matched = False

    # -- figures --------------------------------------------------------------------------

    def share(self, s: str) -> float:
        return self.stats[s].words / self.total_words

    def question_ratio(self, s: str) -> float:
        st = self.stats[s]
        return st.questions / st.turns if st.turns else 0.0

    def figures(self, s: str, role: Role) -> str:
        st = self.stats[s]
        pct = self.share(s) * 100
        words = f"{pct:.0f}% of words" if pct >= 1 or pct == 0 else "<1% of words"
        asks = f"asks {st.questions} of {self.total_questions} questions"
        if role == "interviewer":
            return f"{asks}, {words}"
        if role == "participant":
            return f"{words}, {asks}"
        turns = f"{st.turns} turn" + ("s" if st.turns != 1 else "")
        return f"says little: {turns}, {words}"

    def looks_interviewer(self, s: str) -> bool:
        """Asks in many of their turns and says little."""
        return (
            self.question_ratio(s) >= INTERVIEWER_QUESTION_RATIO
            and self.share(s) <= INTERVIEWER_MAX_SHARE
        )

    def says_little(self, s: str) -> bool:
        """A bystander: a tiny share of words and turns, or one short turn in a long talk."""
        st = self.stats[s]
        if self.share(s) < TINY_WORD_SHARE and st.turns / self.total_turns < TINY_TURN_SHARE:
            return True
        return st.turns == 1 and self.share(s) < ONE_TURN_SHARE and self.total_turns >= 6

    def decide(self, s: str, role: Role, why: str = "") -> None:
        self.roles[s] = role
        figures = self.figures(s, role)
        self.reasons[s] = f"{why}; {figures}" if why else figures

    # -- evidence -------------------------------------------------------------------------

    def header_hints(self) -> tuple[dict[str, Role], str | None]:
        """Names the header assigns to roles, and the participant it names."""
        first = self.t.utterances[0].start if self.t.utterances else 0
        header = self.t.text[:first]
        roster: dict[str, Role] = {}
        participant = None
        for line in header.split("\n"):
            m = _ROSTER.match(line)
            if m:
                role = role_of_label(m.group("role"))
                name = roster_name(m.group("rest"))
                if role and name:
                    roster[name.casefold()] = role
                    if role == "participant" and participant is None:
                        participant = name
        m = _WITH.search(header)
        if m and participant is None:
            name = leading_name(m.group("name"))
            if name and len(name.split()) >= 2:  # "call with Ledgerly" names a company
                participant = name
        return roster, participant

    def run(self, hint: str | None) -> None:
        roster, header_participant = self.header_hints()
        for s in self.speakers:
            role = role_of_label(s)
            if role:
                self.decide(s, role, f"labelled {s!r}")
            elif s.casefold() in roster:
                self.decide(
                    s, roster[s.casefold()], f"named as {roster[s.casefold()]} in the header"
                )
        for name, why in ((hint, "matches the participant name"), (header_participant, "")):
            if name is None:
                continue
            matches = [s for s in self.speakers if names_match(name, s)]
            if len(matches) == 1 and not why and self.looks_interviewer(matches[0]):
                continue  # "Interview with Maya Chen" where Maya asks the questions
            if len(matches) != 1:
                continue
            label = matches[0]
            if why:
                self.hint_matched = True
                if _tokens(label) != _tokens(name):
                    self.names[label] = name
            if label not in self.roles:
                self.decide(label, "participant", f"{why or 'named in the header'} {name!r}")
            break
        undecided = [s for s in self.speakers if s not in self.roles]
        if len(self.speakers) == 1 and undecided:
            self.decide(undecided[0], "participant", "the only speaker")
            undecided = []
        for s in list(undecided):
            if self.says_little(s):
                self.decide(s, "other")
                undecided.remove(s)
        self.by_statistics(undecided)
        self.ensure_participant()
        self.name_generic_participant(hint, header_participant)

    def by_statistics(self, undecided: list[str]) -> None:
        if not undecided:
            return
        interviewers = [s for s, r in self.roles.items() if r == "interviewer"]
        participants = [s for s, r in self.roles.items() if r == "participant"]
        remaining = list(undecided)
        if not interviewers:
            order = {s: i for i, s in enumerate(self.speakers)}
            seed = max(remaining, key=lambda s: (self.question_ratio(s) - self.share(s), -order[s]))
            asks = self.question_ratio(seed) >= 0.3 or (
                self.total_questions and self.stats[seed].questions >= self.total_questions / 2
            )
            if len(remaining) >= 2 or (participants and asks):
                self.decide(seed, "interviewer")
                remaining.remove(seed)
        for s in remaining:
            if self.looks_interviewer(s):
                self.decide(s, "interviewer")
            else:
                self.decide(s, "participant")

    def ensure_participant(self) -> None:
        """With no participant found, the busiest speaker not labelled interviewer is one."""
        if "participant" in self.roles.values():
            return
        candidates = [
            s for s in self.speakers if role_of_label(s) is None and self.roles[s] != "other"
        ]
        if candidates:
            busiest = max(candidates, key=lambda s: self.stats[s].words)
            self.decide(busiest, "participant", "speaks most apart from the interviewer")

    def name_generic_participant(self, hint: str | None, header_participant: str | None) -> None:
        generic = [
            s for s in self.speakers if self.roles[s] == "participant" and is_generic_label(s)
        ]
        first = self.t.utterances[0].start if self.t.utterances else 0
        named_in_header = label_names(self.t.text[:first])
        for s in generic:
            if s not in self.names and s.casefold() in named_in_header:
                self.names[s] = named_in_header[s.casefold()]
        generic = [s for s in generic if s not in self.names]
        name = hint if hint and not self.hint_matched else header_participant
        if len(generic) == 1 and name and generic[0] not in self.names:
            self.names[generic[0]] = name
