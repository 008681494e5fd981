"""What the words around a capitalised name say it is: general rules of spoken English.

- a name in a greeting ("Hi Oskar!", "Thanks, Oskar"), a self-introduction ("it's Yvette from
  Corriebrook Labs", "this is Yvette"), after a role ("our CEO, Rhiannon", "my boss Anselm") or
  after "called"/"named" is a person; the words after "from" in a self-introduction are a company;
- a name used as a tool ("we use X", "switched from X to Y", "keys it into X", "an X account") is
  a product, and a name followed by rules/act/compliance, or after "under", is a regulation: both
  are kept, not redacted;
- a name ending in a word organisations end in ("... Bank", "... Credit Union", "... Labs",
  "... Partners", "... & Co") is a company, whatever the entity recogniser guessed;
- holidays, months and weekdays are dates, never people.

No product, company or person of any study is listed here: the rules are the sentence shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qualseg.ingest.names import word_set

_CAP = r"[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?"  # Anne-Marie, O'Neil; not "That's" or "He's"
NAME = rf"{_CAP}(?:\s+{_CAP})?"  # a first name, optionally a surname

_GREETING = re.compile(
    rf"\b(?:[Hh]i|[Hh]ello|[Hh]ey|[Mm]orning|[Aa]fternoon|[Ee]vening|[Tt]hanks|[Tt]hank you"
    rf"|[Cc]heers|[Bb]ye|[Ww]elcome|[Gg]ood (?:morning|afternoon|evening))"
    rf"(?:\s+again)?,?\s+({_CAP})(?=\s*[!,.?;:]|\s*$)",
    re.M,
)
_INTRO = re.compile(
    rf"\b(?:[Ii]t's|[Ii]t is|[Tt]his is|[Ii]'m|[Ii] am|[Mm]y name is|[Mm]y name's)\s+({NAME})"
    rf"(?:\s+(?:from|at|with|here)\b(?:\s+(?:the\s+)?((?:{_CAP}|[A-Z]{{2,}})"
    rf"(?:\s+(?:&\s+|and\s+)?(?:{_CAP}|[A-Z]{{2,}}|Co\b))*))?)",
)
# Words that open a spoken sentence (conjunctions, discourse words, pronouns, determiners,
# prepositions): the recogniser sometimes takes one in with the name after it ("So Gail").
OPENING_WORDS = word_set(
    "so and but or nor then well yes yeah yep no nope okay ok oh ah um uh hmm also anyway "
    "actually honestly basically because if when whenever while after before since though "
    "although yet now right sure look see like just maybe perhaps plus still even again hey hi "
    "hello thanks thank please the a an this that these those there here it its we i you he "
    "she they our my your his her their what who whom which how why where as at by for from "
    "in of on to with about into over under than until unless once anyway otherwise besides "
    "meanwhile later finally first second third next last luckily unfortunately apparently"
)
ROLES = word_set(
    "ceo cfo coo cto cio cmo vp md founder co-founder cofounder owner boss manager director "
    "supervisor deputy partner brother sister cousin colleague accountant accountants "
    "bookkeeper bookkeepers assistant lead head president chair chairman chairwoman wife "
    "husband son daughter superintendent controller brewer administrator admin contractor "
    "consultant engineer analyst rep representative coordinator officer clerk dispatcher "
    "mechanic technician nurse doctor dentist receptionist planner buyer guy lady woman man "
    "friend mate colleague teammate counterpart predecessor successor landlord neighbour "
    "neighbor auditor auditors advisor adviser lawyer attorney producer editor designer "
    "developer recruiter trainer therapist physio vet hygienist paralegal secretary treasurer"
)
_ROLE = re.compile(
    r"\b(?:[Oo]ur|[Mm]y|[Tt]he|[Tt]heir|[Hh]is|[Hh]er|[Aa]n?)\s+(?:[a-z][a-z-]*\s+){0,2}"
    r"(?:" + "|".join(re.escape(r) for r in ROLES) + r"|CEO|CFO|COO|CTO|CIO|CMO|VP|MD)s?"
    rf",?\s+({NAME})(?:\s+(?:and|&)\s+({NAME}))?\b"
)
_CALLED = re.compile(
    rf"\b(?:called|named|(?:[Hh]er|[Hh]is|[Tt]heir) name(?:'s|’s| is| was))\s+({NAME})\b"
)
# "Pim, who's my assistant", "And Tova, she is...", "Odile our payroll lead"
_NAME_THEN_ROLE = re.compile(
    rf"\b({NAME}),?\s+(?:(?:who's|who is|who was|she's|he's|she is|he is|she was|he was)\b"
    r"|(?:our|my|the|their)\s+(?:[A-Za-z&-]+\s+){0,2}(?:"
    + "|".join(re.escape(r) for r in ROLES)
    + r")\b)"
)
# "Odile Marsh runs our payroll team", "Rhiannon said"
_NAME_DOES = re.compile(
    rf"\b({NAME})\s+(?:said|says|told|asked|mentioned|thinks|thought|wanted|insisted"
    r"|(?:runs|manages|leads|heads|owns)\s+(?:our|my|the|their))\b"
)

# a word of a name ("BrightDesk", "Co-op"), with a possessive only inside ("Tanner's Quay")
_ORG_WORD = r"[A-Z][A-Za-z0-9-]*[A-Za-z0-9](?:['’]s(?=\s+[A-Z]))?"
ORG = rf"{_ORG_WORD}(?:\s+(?:&\s+|and\s+|of\s+)?(?:{_ORG_WORD}|Co\b))*"
# "my role at Fernhollow", "how are things at Quarry Mill"
_WORKPLACE = re.compile(
    r"\b(?:role|job|work|works|worked|working|position|team|things|everyone|everybody|folks"
    rf"|people|colleagues|based|employed|started|joined)\s+at\s+(?:the\s+)?({ORG})"
)
# "I run finance at Fernhollow Logistics", "I'm the Director of Maintenance at Keelhaven"
_I_AM_AT = re.compile(
    r"\bI(?:'m| am| work| worked| run| manage| lead| head| own)\b[^.!?\n]{0,60}?\b(?:at|for)"
    rf"\s+(?:the\s+)?({ORG})"
)
# "our payroll provider, Paymoor", "a partner bank, Lyle and Penn Bank"
_ORG_APPOSITIVE = re.compile(
    r"\b(?:bank|partner|supplier|vendor|client|customer|firm|agency|company|provider|lender"
    r"|insurer|accountants|bookkeepers|auditors|distributor|wholesaler|carrier|employer"
    rf"|competitor|business)s?,\s+({ORG})"
)
# "Yvette Marchbank from Corriebrook, talking with Oskar Lind from Fernhollow Logistics"
_PERSON_FROM = re.compile(rf"\b{_CAP}(?:\s+{_CAP})?,?\s+from\s+(?:the\s+)?({ORG})")
# a header line "Interviewee (A): Oskar Lind, CFO, Fernhollow"
_HEADER = re.compile(rf"^(?:[^\n:]{{0,40}}:\s*)?{NAME},\s*[^,\n]{{2,60}},\s*({ORG})\s*$", re.M)
# "she's at Millbrook Physio", "we're at X"
_BE_AT = re.compile(
    rf"\b(?:she's|he's|they're|we're|I'm|she is|he is|they are|we are)\s+at\s+({ORG})"
)
# "we're a contractor for Brightlane", "I drove for Brightlane for six years"
_WORKS_FOR = re.compile(
    r"\b(?:contractor|subcontractor|supplier|vendor|reseller|dealer|franchisee|drove|drive"
    rf"|drives|driving)\s+for\s+(?:the\s+)?({ORG})"
)
# an organisation's name with an ending that only organisations have ("Castlegate Bank")
_STRONG_ENDINGS = (
    "Bank|Credit Union|Building Society|Savings|Trust|Labs|Partners|Associates|Accounting"
    "|Accountants|Inc|Ltd|LLC|LLP|PLC|GmbH|Co|Corp|Corporation|Group|Holdings"
)
_ENDED_ORG = re.compile(
    rf"\b((?:{_ORG_WORD}\s+(?:(?:&|and|of)\s+)?){{1,4}}(?:{_STRONG_ENDINGS}))\b\.?"
)
# places: "the Ashgrove site", "head office is on Tanner's Quay", "Route 9"
_SITE = re.compile(
    rf"\b(?:the|our|their)\s+({ORG})\s+(?:site|office|plant|branch|location|clinic|store"
    r"|warehouse|depot|yard|campus|bridge|practice|facility|depot|hospital|shop)s?\b"
)
_SITE_ON = re.compile(
    r"\b(?:office|offices|headquarters|HQ|site|plant|warehouse|depot|shop|store|building)"
    rf"\s+(?:is|are|was|were\s+)?\s*(?:on|in|at)\s+({ORG})"
)
# "they're in Wexmoor", "based in X", "grew up in X"
_LIVES_IN = re.compile(
    r"\b(?:(?:[Ww]e['’]re|[Tt]hey['’]re|I['’]m|[Ss]he['’]s|[Hh]e['’]s|[Ww]e are|[Tt]hey are|I am"
    r"|[Ss]he is|[Hh]e is)(?:\s+based)?\s+in"
    r"|based\s+in|located\s+in|live\s+in|lives\s+in|living\s+in|grew\s+up\s+in"
    rf"|moved\s+(?:out\s+)?to)\s+({ORG})"
)
_ROAD = re.compile(r"\b(?:Route|Highway|Hwy|Interstate|State Road|County Road)\s+\d{1,4}\b")

_DET = r"(?:the\s+|an?\s+|our\s+|their\s+|my\s+|his\s+|her\s+)?"
# "use X", "switched to X", "tried X": the name right after a verb of using or choosing a tool
_TOOL_VERB_BEFORE = re.compile(
    r"\b(?:use|uses|using|used|tried|trialled|trialed|trialling|trialing|switched|switching"
    r"|migrated|migrating|replaced|replacing|bought|licensed|adopted|chose|picked|evaluated"
    r"|demoed|implemented|installed|ditched|dropped|cancelled|canceled|upgraded|rolled out"
    r"|signed up for|went with|stayed with|stuck with|pay for|paying for|paid for|looked at"
    r"|compared|considered|demo of|trial of)"
    rf"(?:\s+(?:to|from|off|onto|over to|back to))?\s+{_DET}$",
    re.I,
)
# "keys it into X", "export them to X", "post it in X": data going into or out of a tool
_DATA_BEFORE = re.compile(
    r"(?:\b(?:keys|keyed|key|typed|type|enters|entered|enter|logs|logged|log|posts|posted|post"
    r"|syncs|synced|sync|pulls|pulled|pull|pushes|pushed|push|uploads|uploaded|upload|exports"
    r"|exported|export|imports|imported|import|stores|stored|store|tracks|tracked|track"
    r"|records|recorded|record|builds|build|built|writes|write|wrote|written|lands|land|landed"
    r"|sits|sit|saved|save|saves|filed|kept|stored)\b"
    r"(?:\s+(?:it|them|this|that|everything|things|these|those|up|out|back|by hand))*"
    r"\s+(?:into|in|onto|on|to|out of|through|via)"
    r"|\b(?:comes|come|came|goes|go|went|gets|get|got)\s+(?:out of|into))"
    rf"\s+{_DET}$",
    re.I,
)
# "an add-on for X", "works with X", "switched from A to X", "by phone or X"
_TOOL_RELATION = re.compile(
    r"(?:\b(?:add-?ons?|plug-?ins?|integrations?|connectors?|extensions?|licen[cs]es?"
    r"|subscriptions?|accounts?)\s+(?:for|with|to|in|on)"
    r"|\b(?:works?|integrates?|talks?|connects?|syncs?|plugs?)\s+(?:in\s+)?(?:with|to|into)"
    r"|\b(?:switched|switching|moved|moving|migrated|migrating|went)\s+(?:from|off)\s+"
    r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?\s+(?:to|for)"
    r"|\b(?:phone|email|e-mail|text|sms|chat|paper|fax)\s+(?:or|and)"
    r"|\b(?:messages?|thumbs[- ]ups?|pings?|DMs?|posts?)\s+(?:on|in|over|via)"
    r"|\b(?:better|cheaper|worse|faster|slower|easier|simpler|nicer|pricier)\s+than"
    r"|\bcompared\s+(?:to|with))"
    rf"\s+{_DET}$",
    re.I,
)
# "we use Xero and Slack": a name joined to a tool the same clause is using
_TOOL_LIST = re.compile(
    r"\b(?:use|uses|using|used(?!\s+to\b)|tried|switched|migrated|replaced|bought|evaluated"
    r"|compared|looked at)\b[^.!?\n]{0,50}\b(?:and|or|than|versus|vs\.?)\s+$",
    re.I,
)
_TOOL_AFTER = re.compile(
    r"^\s+(?:channel|account|licen[cs]e|integration|subscription|plug-?in|add-?on|app|instance"
    r"|workspace|dashboard|export|spreadsheet|sheet|board|ticket|portal|module|plan|seat"
    r"|seats|tier|feature|features|api|connector|template|report|reports|login|trial|demo"
    r"|pricing|rollout|setup|for the books|for billing|for everything)s?\b",
    re.I,
)
_TOOL_PLACE = re.compile(
    r"\b(?:spreadsheet|sheet|channel|ticket|board|workspace|account|folder|tab|chat)s?\s+"
    r"(?:in|on)\s+(?:the\s+)?$",
    re.I,
)
# "X lets you", "X was cheaper": a name doing what products do
_PRODUCT_DOES = re.compile(
    r"^\s+(?:lets\s+you|let\s+us|allows|offers|supports|integrates|scans|flags|prices\s+per"
    r"|charges|ships\s+with|syncs|has\s+an?\s+(?:feature|api|integration|app|module)"
    r"|(?:was|is)\s+(?:cheaper|more\s+expensive|pricier|better|worse|clunky|buggy))\b",
    re.I,
)
_PRODUCT_MOVE = re.compile(
    r"\b(?:switched|switching|moved|moving|migrated|migrating|went)\s+(?:from|off)\s+$", re.I
)
_LAW_BEFORE = re.compile(
    r"\b(?:under|follow|follows|comply with|compliant with|per)\s+(?:the\s+)?$", re.I
)
_LAW_AFTER = re.compile(
    r"^(?:-[A-Z][\w]*)?(?:\s+|-)(?:rules?|act|regulations?|law|compliance|compliant|requirements?|audit"
    r"|paperwork|certification|certified|standard|framework|controls?)\b",
    re.I,
)
ORG_ENDINGS = word_set(
    "bank banks bancorp credit union building society savings trust financial capital "
    "insurance assurance labs lab laboratories logistics dental clinic clinics hospital health "
    "healthcare medical research partners partnership accounting accountants associates group "
    "holdings studio studios creative brewing brewery foods bakery bakeries storage transport "
    "freight haulage services solutions systems technologies technology software consulting "
    "consultants advisors agency media marketing insight insights analytics inc incorporated "
    "ltd limited llc llp plc gmbh co corp corporation company district council authority "
    "university college school academy institute foundation society association federation "
    "staffing physio physiotherapy rehab imaging radiology orthodontics pharmacy veterinary vets "
    "fuel waste markets plumbing construction engineering manufacturing farms realty properties "
    "motors recruitment"
)
# Holidays and dates said on their own; "X Day" holidays are two words and need no entry.
HOLIDAYS = word_set(
    "Easter Christmas Xmas Thanksgiving Hanukkah Chanukah Ramadan Eid Diwali Passover Halloween "
    "Lent Advent Pentecost Whitsun Epiphany Juneteenth Midsummer Carnival"
)
DATE_WORDS = word_set(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)


def people_in(text: str, lower_words: set[str]) -> Iterator[tuple[str, str]]:
    """(name, how it was found) for each person the sentence shapes point at."""
    shapes = (
        (_GREETING, "greeting"),
        (_ROLE, "after a role"),
        (_CALLED, "called"),
        (_NAME_THEN_ROLE, "before a role"),
        (_NAME_DOES, "says or runs"),
    )
    for regex, how in shapes:
        for m in regex.finditer(text):
            for group in m.groups():
                name = _trim(group or "", lower_words)
                if name:
                    yield name, how
    for m in _INTRO.finditer(text):
        name = _trim(m.group(1), lower_words)
        if name:
            yield name, "self-introduction"


def companies_in(text: str, lower_words: set[str]) -> Iterator[str]:
    """Organisations the sentence shapes point at: where a speaker is from ("it's Yvette from
    Acme Labs", "Oskar Lind from Fernhollow Logistics"), works ("my role at X", "I run
    finance at X"), works for ("a contractor for X"), a named provider ("our card provider, X")
    or a header's "Name, Role, X"."""
    found = [m.group(2) for m in _INTRO.finditer(text) if m.group(2)]
    shapes = (_WORKPLACE, _I_AM_AT, _ORG_APPOSITIVE, _PERSON_FROM, _HEADER, _BE_AT, _WORKS_FOR)
    for regex in (*shapes, _ENDED_ORG):
        found += [m.group(1) for m in regex.finditer(text)]
    for surface in found:
        surface = re.sub(r"['’]s$", "", surface)
        words = surface.split()
        while words and (words[0].lower() in lower_words or words[0] in {"The", "A", "An"}):
            words = words[1:]
        while words and words[-1].lower() in {"and", "of", "&"}:
            words = words[:-1]
        surface = " ".join(words)
        letters = re.sub(r"\W", "", surface)
        if (
            not surface
            or is_date_word(surface)
            or (letters.isupper() and len(letters) <= 3)
            or (len(words) == 1 and surface.lower() in lower_words)
        ):
            continue
        yield surface


def places_in(text: str, lower_words: set[str]) -> Iterator[str]:
    """Places the sentence shapes point at: a named site, an office's street, a road."""
    for regex in (_SITE, _SITE_ON, _LIVES_IN):
        for m in regex.finditer(text):
            surface = re.sub(r"['’]s$", "", m.group(1))
            words = surface.split()
            while words and words[0].lower() in lower_words:
                words = words[1:]
            surface = " ".join(words)
            if surface and not is_date_word(surface) and not surface.isupper():
                yield surface
    for m in _ROAD.finditer(text):
        yield m.group(0)


def _trim(name: str, lower_words: set[str]) -> str:
    """The name without words that are ordinary words of the study (``lower_words``), dates
    or holidays (leading ones dropped: "And Tova" is Tova); '' when nothing is left."""
    words = name.split()
    while words and words[0].lower() in lower_words:
        words = words[1:]
    kept: list[str] = []
    for w in words:
        if w.lower() in lower_words or is_date_word(w):
            break
        kept.append(w)
    return " ".join(kept)


def is_date_word(surface: str) -> bool:
    """A holiday, month or weekday (or a phrase starting with one: "Easter Monday")."""
    words = surface.split()
    return bool(words) and (words[0] in HOLIDAYS or words[0] in DATE_WORDS)


def org_ending(surface: str) -> bool:
    """Whether a multi-word name ends like an organisation's name ("... Savings Bank")."""
    words = surface.split()
    return len(words) >= 2 and words[-1].lower().strip(".") in ORG_ENDINGS


def use_of(text: str, start: int, end: int) -> str:
    """How one occurrence of a name is used: 'tool', 'law' or '' (nothing said)."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 30]
    if _LAW_BEFORE.search(before) or _LAW_AFTER.match(after):
        return "law"
    if (
        _TOOL_AFTER.match(after)
        or _PRODUCT_DOES.match(after)
        or _PRODUCT_MOVE.search(before)
        or _TOOL_PLACE.search(before)
    ):
        return "tool"
    if any(r.search(before) for r in (_TOOL_VERB_BEFORE, _DATA_BEFORE, _TOOL_LIST, _TOOL_RELATION)):
        return "tool"
    return ""
