"""Who holds a post: a person's name, or the role the documents say fills it, in relation to the post (pure functions).

A "who is the <post>?" question ("Who is the Chief Executive of the ICB?", "Who chairs the panel?") is answered by
a sentence that names, *for that post*:

- a **person**: a capitalised given and family name ("Amira Patel") or a name behind an honorific ("Dr Patel",
  "Sir James Mackey"), standing beside the post ("The Chief Executive, Sarah Okafor, ...", "Report by: Jo Bloggs,
  Chief Financial Officer", "The Chair is Amira Patel"); or
- a **role or body** the documents say holds it: "The Chair of the panel is the Medical Director", "The panel
  will be chaired by an independent Chair", "The Case Manager will chair the meeting", "the Medical Director will
  assume responsibility for Chairing the Panel".

A capitalised run is no person when it is a post's or a body's title ("Executive Clinical Director of
Utilisation Management": joined by "of" to another capitalised word; "(known as the Executive Director of
Finance)": another name for a post), so a definitions table, a list of posts, or a sentence naming another post
answers nothing, and the question is refused when nothing else is left.

Example::

    >>> holder_spans("Who is the Chief Executive?", "The Chief Executive, Sarah Okafor, took up post in June.")
    [(21, 33)]
"""

from __future__ import annotations

import re

from assistant.text.terms import STOPWORDS, terms

Span = tuple[int, int]

# Words of a post's or body's title, and counts: a run of them is a title or a count, not a person's name.
TITLE_WORDS = frozenset(
    """chair chairs chairman chairwoman vice deputy chief executive executives non non-executive senior member members director
    directors officer officers secretary president head lead manager partner committee committees board boards council group
    groups team panel trust audit risk finance governance remuneration nominations quality people medical nursing clinical
    independent interim acting associate primary care integrated system icb icbs nhs england one two three four five six
    seven eight nine ten twelve the a an this that our its their operating operations financial leadership public health
    strategy transformation digital workforce corporate affairs patient patients safety consultant consultants specialist
    specialists adviser advisers advisor advisors regional national local specialised specialized commissioning""".split()
)
# A body or a document is no person either: "Peterborough Integrated Care Board", "the ICB Pay Policy".
NOT_PERSONS = frozenset(
    """board boards committee committees council councils trust trusts icb icbs system systems group groups team teams panel
    panels authority authorities partnership partnerships service services department agency network alliance office
    policy plan framework strategy guidance standards orders constitution procedure procedures report review act""".split()
)
# Titles that go before a person's name, and only a person's (general English).
_HONORIFICS = frozenset("sir dame dr mr mrs ms miss mx prof professor lord lady baroness baron rt hon cllr councillor".split())
NOW = frozenset("current currently now present new".split())
# Words that may stand between a post and the name of its holder ("The Vice Chair of the board is Amira Patel",
# "Jo Bloggs was appointed Chief Executive"): any other lowercase word (a verb such as "approved") breaks the link.
_LINKING = frozenset("of the for at and is was are were as now currently has had been have appointed named its their our a an "
                     "new interim acting who will be became becomes become serves elected confirmed "
                     "would shall should may to also".split())  # "Jo Bloggs would / is to chair the group"
_CAP_WORD = r"(?:[A-Z](?:[a-z]+|['’][A-Z][a-z]+)(?:[A-Z][a-z]+)*(?:-[A-Z]?[a-z]+)*|[A-Z]\.)"  # "O'Brien", "McKay", "Lloyd-Jones"
_CAP_RUN = re.compile(rf"{_CAP_WORD}(?:[ \t]+{_CAP_WORD})*")  # not across lines: "Jo Bloggs\nChief Executive" signs a letter
_JOINED_BEFORE = re.compile(r"(?:[A-Z][\w’'&-]*[ \t]+(?:of|for|and|&)[ \t]+(?:the[ \t]+)?|\b(?:known|referred to|described)\s+as\s+(?:the\s+)?"
                            r"|\bcalled\s+(?:the\s+)?)$")
# "Who is/was the <post> ...", "Who is NHS England's <post>", "Who chairs/leads/heads ...": the post's words
_WHO_IS = re.compile(r"^\W*who(?:\s+is|\s+was|['’]s)\s+(?:(?:currently|now)\s+)?"
                     # "the ICB's Chief Executive": the owner's name before "'s" is not the post (tried before "the" alone),
                     # though "the chair of the trust's board" asks for the chair
                     r"(?:(?:(?:the|its|their)\s+)?(?:(?!(?:of|for|at|in)\b)[\w&.-]+\s+){0,3}?[\w&.-]+['’]s\s+|(?:the|its|their)\s+)"
                     r"((?:[\w-]+\s*){1,8})"
                     # "Who (currently) holds the post of Chief Executive?"
                     r"|^\W*who\s+(?:(?:currently|now)\s+)?(?:holds|held|fills|occupies)\s+the\s+(?:post|position|role|office)\s+of\s+"
                     r"(?:the\s+)?((?:[\w-]+\s*){1,8})"
                     # "What is the name of the (current) Chief Executive?": the holder's own name
                     r"|^\W*what(?:\s+is|\s+was|['’]s)\s+the\s+(?:full\s+)?name\s+of\s+(?:the\s+|its\s+|their\s+)?((?:[\w-]+\s*){1,8})", re.I)
# "What is the name of ...": a person's own name; a role that fills the post is no name
NAME_OF = re.compile(r"^\W*what(?:\s+is|\s+was|['’]s)\s+the\s+(?:full\s+)?names?\s+of\b", re.I)
_POST_OF = re.compile(r"^\W*who(?:\s+is|\s+was|['’]s|\s+(?:currently\s+)?(?:holds|held|fills|occupies)\s+the\s+\w+\s+of)\b.*?\s(?:of|at|for)\s+(?:the\s+)?([^?,]+?)\s*(?:\?|,|$|\s(?:when|who|that|which|in|on)\b)", re.I)
_MENTION_OF = re.compile(r"\s+(?:of|at|for)\s+(?:the\s+)?((?:[\w’'-]+\s*){1,4})")
_POSSESSED = re.compile(r"\b(?:its|their|his|her)\s+(?:[\w-]+\s+){0,2}$", re.I)
_WHO_VERB = re.compile(r"^\W*who\s+([a-z]+)s\b", re.I)  # "who chairs": a post's word used as a verb
_ARTICLE_NP = (r"(?:the|an?)\s+((?:[a-z-]+\s+){0,2}?[A-Z][\w&’'-]*(?:\s+(?:(?:of|and|&|for)\s+(?:the\s+)?)?"
               r"(?:[A-Z][\w&’'-]*|[a-z]+(?=\s+[A-Z])))*)")


def asked_post(question: str) -> tuple[str, ...]:
    """The words of the post a question asks the holder of, its head last ("Who is the current Chief Executive of
    the ICB?" -> ("Chief", "Executive"); "Who chairs the panel?" -> ("chair",)), or () when it asks no holder (pure)."""
    found = _WHO_IS.search(question)
    if found:
        words: list[str] = []
        given = (found.group(1) or found.group(2) or found.group(3)).split()
        for i, word in enumerate(given):
            if word.lower() in NOW and not words:
                continue
            joins = word.lower() in ("and", "&") and i + 1 < len(given) and given[i + 1][:1].isupper()  # "Audit and Risk"
            if word.lower() in STOPWORDS - TITLE_WORDS and not joins:
                break
            words.append(word)
        titled = [i for i, w in enumerate(words) if w.lower() in TITLE_WORDS - STOPWORDS]
        return tuple(words[:titled[-1] + 1]) if titled else ()
    verb = _WHO_VERB.search(question)
    stem = terms(verb.group(1))[-1:] if verb else []
    return (stem[0],) if stem and stem[0] in TITLE_WORDS else ()


def person_names(sentence: str) -> list[Span]:
    """Spans of ``sentence`` shaped like a person's name: an honorific and a name ("Dr Helen Marsh"), or two to four
    capitalised words none of which is a title's, a body's or a document's ("Amira Patel"), and which do not carry
    on another capitalised name ("Director of Utilisation Management") or give another name for a post ("known as
    the ...") (pure)."""
    out: list[Span] = []
    for run in _CAP_RUN.finditer(sentence):
        words = list(re.finditer(r"\S+", run.group(0)))
        kinds = [_word_kind(w.group(0)) for w in words]
        honorific = "honorific" in kinds
        first = kinds.index("honorific") if honorific else 0
        if not honorific:
            # a post's words may go before the name ("NHS England Chair Richard Meddings", "Board Chair Jo Bloggs")
            while first < len(kinds) and kinds[first] in ("title", "body", "stop"):
                first += 1
            if "body" in kinds[:first] and [k for k in kinds[:first] if k != "stop"][-1] != "title":
                continue
        name = kinds[first:]
        plain = [k for k in name if k == "name"]
        if not plain or any(k in ("title", "body", "stop") for k in name) or (not honorific and not 2 <= len(plain) <= 4):
            continue
        a, b = run.start() + words[first].start(), run.end()
        if not honorific and (_JOINED_BEFORE.search(sentence, 0, a) or _JOINED_BEFORE.search(sentence, 0, run.start())):
            continue
        out.append((a, b))
    return out


def holder_spans(question: str, sentence: str, found: list[Span] | None = None) -> list[Span]:
    """Spans of ``sentence`` naming who holds the post ``question`` asks about: a person's name beside the post,
    or the role the sentence says fills it; [] when the question asks no holder or the sentence names none (pure).

    ``found``: the capitalised runs of ``sentence`` (``constraints``); "who chairs / leads X?" asks what a post's
    word does, which a sentence not using that word may say otherwise ("under the leadership of the Board"), so
    such a sentence keeps those of them that are not titles."""
    post = asked_post(question)
    if not post:
        return []
    head = terms(post[-1])[-1:] if terms(post[-1]) else [post[-1].lower()]
    stems = set(terms(" ".join(post))) | set(head)
    short = _abbreviation(post, sentence)  # "CEO" for "Chief Executive"
    if short:
        stems -= set(terms(" ".join(post[short[2]:])))
    if not stems <= set(terms(sentence)):
        if found and not _WHO_IS.search(question):
            return [(a, b) for a, b in found if "name" in map(_word_kind, sentence[a:b].split())]
        return []  # another post ("the Chief Executive" for "Who is the Deputy Chair?")
    mentions = [m.span() for m in re.finditer(r"[A-Za-z-]+", sentence) if terms(m.group(0))[-1:] == head]
    mentions += [short[:2]] if short else []
    whose = _POST_OF.search(question)
    asked_of = set(terms(whose.group(1))) if whose else set()
    # "Deputy Chair", "Audit Committee Chair" for "Who is the Chair?": another post, though a body's ("Board Chair") is not
    ours = stems | asked_of | set(terms(" ".join(post)))
    mentions = [m for m in mentions if not _is_noun(sentence[m[0]:m[1]], post)
                or all(set(terms(w)) <= ours for w in _qualifiers(sentence, m[0]))]
    if whose:
        if not asked_of <= set(terms(sentence)):
            # "its chair" is the chair of whatever "its" stands for: of the body asked about only when the sentence names it
            mentions = [m for m in mentions if not _POSSESSED.search(sentence, 0, m[0])]
        # "the Chair of Norfolk ICB" for "Who is the Chair of NHS England?": the post of another body
        mentions = [m for m in mentions if not ((own := _MENTION_OF.match(sentence, m[1])) and not asked_of & set(terms(own.group(1))))]
    nouns = [m for m in mentions if _is_noun(sentence[m[0]:m[1]], post)]  # "Jo Bloggs chaired the meeting": an act, no post
    names = person_names(sentence) + _pronouns(sentence)
    found = [span for span in names if any(_beside(sentence, span, m, names) for m in nouns)]
    return found + ([] if NAME_OF.search(question) else role_spans(sentence, mentions))


def role_spans(sentence: str, mentions: list[Span]) -> list[Span]:
    """Spans of the role or body ``sentence`` says holds the post at ``mentions`` (the spans of its head word):
    "<post> is the X", "<post>ed by the X", "the X will <post> / act as the <post>" (pure)."""
    out: list[Span] = []
    for start, end in mentions:
        after = sentence[end:]
        # "<post> (of the panel) is / will be the X", "<post>ed by an X"
        tail = re.match(r"(?:\s+(?:of|for)\s+(?:the\s+)?[^,.;:]{0,40}?)?\s+(?:is|will\s+be|shall\s+be|was|must\s+be)\s+"
                        + _ARTICLE_NP + r"|\s+by\s+" + _ARTICLE_NP, after)
        if tail:
            group = 1 if tail.group(1) else 2
            out.append((end + tail.start(group), end + tail.end(group)))
            continue
        # "The X will chair / will act as the <post> / is the <post> / will assume responsibility for chairing"
        before = sentence[:start]
        lead = re.search(r"(?:^|[.;:]\s+|\bthe\s+)((?:[A-Z][\w&’'-]*|of|and|&)(?:\s+(?:[A-Z][\w&’'-]*|of|and|&))*)\s+"
                         r"(?:(?:will|shall|must|would|is\s+to)\s+(?:act\s+as\s+|be\s+|(?:assume|take\s+on|take|have)\s+(?:the\s+)?"
                         r"(?:responsibility|role)\s+(?:for|of)\s+)?|acts?\s+as\s+|is\s+|becomes?\s+)"
                         r"(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}$",
                         before)
        if not lead and sentence[start:start + 1].islower():  # the post's word as a verb: "The Case Officer chairs the meeting"
            lead = re.search(r"(?:^|[.;:]\s+|\bthe\s+)((?:[A-Z][\w&’'-]*|of|and|&)(?:\s+(?:[A-Z][\w&’'-]*|of|and|&))*)\s+$", before)
        if lead and lead.group(1)[:1].isupper():
            out.append(lead.span(1))
    return out


def _abbreviation(post: tuple[str, ...], sentence: str) -> tuple[int, int, int] | None:
    """Where ``sentence`` writes the post's last words as their initials ("Deputy CEO" for "Deputy Chief Executive":
    "CEO" is C, E and Officer's O), and the index of the first word abbreviated: ``(start, end, index)``, or None (pure)."""
    for m in re.finditer(r"\b[A-Z]{2,5}\b", sentence):
        for i in range(len(post) - 1):
            initials = "".join(w[0].upper() for w in post[i:])
            if m.group(0) in (initials, initials + "O"):  # "CEO": a chief executive is its Chief Executive Officer
                return m.start(), m.end(), i
    return None


def _is_noun(word: str, post: tuple[str, ...]) -> bool:
    """Whether ``word``, a mention of the post's head, names the post ("Chair", "chairs", "CEO"), not an act ("chaired")."""
    return word[:1].isupper() or word.lower() == post[-1].lower()  # "the chair": a lowercase "chairs" acts


def _qualifiers(sentence: str, start: int) -> list[str]:
    """The title words qualifying the post's word at ``start`` ("Deputy", "Audit and Risk" in "the Audit and Risk
    Committee Chair"): the run of capitalised words, title words and "and"s right before it, less bodies (pure)."""
    words: list[str] = []
    text = sentence[max(0, start - 80):start]
    end = len(text)
    for m in reversed(list(re.finditer(r"[A-Za-z’'-]+", text))):
        word, gap, end = m.group(0), text[m.end():end], m.start()
        if gap.strip():  # "Officer/Deputy CEO": a run of words only, not across punctuation
            break
        if word.lower() in ("and", "interim", "acting") or _word_kind(word) == "body":  # "Interim Chief Executive" is the post
            continue
        if _word_kind(word) != "title" or (not word[0].isupper() and word.lower() not in TITLE_WORDS) or word.lower() in STOPWORDS:
            break
        words.append(word)
    return words


def _pronouns(sentence: str) -> list[Span]:
    """"She" / "he" as the subject that holds a post ("Now, she is the Chair of ..."): the person named in the sentence
    before, which the answer quotes with it (``context.antecedents``) (pure)."""
    return [m.span(1) for m in re.finditer(r"\b([Ss]he|[Hh]e)\s+(?:is|was|has\s+been|became|becomes|will\s+be)\b", sentence)]


def _word_kind(word: str) -> str:
    low = word.casefold().rstrip(".")
    if low in _HONORIFICS:
        return "honorific"
    if low in NOT_PERSONS:
        return "body"
    if low in TITLE_WORDS:
        return "title"
    if low in STOPWORDS or low in NOW:
        return "stop"
    return "name"


def _beside(sentence: str, name: Span, post: Span, names: list[Span]) -> bool:
    """Whether a name and a mention of the post stand together: only punctuation, capitalised words, title words
    and linking words between them, no other of ``names`` and no ", and" ("Jo Bloggs, Chair, and Sam Lee, Chief
    Executive": each name holds the post beside it) (pure)."""
    a, b = (name[1], post[0]) if name[1] <= post[0] else (post[1], name[0])
    if a > b or any(a <= x and y <= b for x, y in names) or re.search(r"[,;]\s*and\b", sentence[a:b]):
        return False  # ", and" starts the next of a list: "Jo Bloggs, Chief Executive, and Sam Lee, Chair"
    between = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[A-Za-z’'-]+", sentence[a:b])]  # "the trust's chief executive"
    return len(between) <= 8 and all(w[:1].isupper() or len(w) <= 1 or w.lower() in _LINKING | TITLE_WORDS | NOT_PERSONS
                                     for w in between)
