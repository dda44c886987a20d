"""Word lists and compiled patterns for speaker attribution (issue 4).

Kept apart from :mod:`fabula.stages.speakers` so that the lists can grow without touching
the logic. Every pattern is compiled once, at import.

>>> bool(SPEECH_VERB.fullmatch("hissed")), bool(SPEECH_VERB.fullmatch("walked"))
(True, False)
>>> m = TAG_AFTER.match(', said Mrs. Hale quietly.')
>>> m.group("subj2")
'Mrs. Hale'
>>> TAG_AFTER.match(' he said, slyly.').group("subj1")
'he'
"""

from __future__ import annotations

import re

#: Speech verbs and said-bookisms, past tense (present-tense forms are derived below).
SPEECH_VERBS_PAST: tuple[str, ...] = tuple(
    """said asked replied answered cried shouted whispered muttered murmured exclaimed continued added
    called yelled screamed snapped growled hissed gasped sighed chuckled laughed giggled sobbed breathed
    began returned rejoined retorted observed remarked repeated responded demanded inquired enquired
    explained declared suggested insisted protested admitted agreed interrupted interposed whimpered
    moaned groaned grumbled mumbled stammered stuttered drawled purred crooned snarled barked roared
    bellowed thundered squeaked squealed shrieked wailed pleaded begged urged warned promised assured
    announced stated told teased taunted mocked joked quipped sneered scoffed huffed panted managed
    offered ventured persisted concluded corrected conceded confessed blurted cooed chirped sang
    choked croaked rasped spluttered sputtered lied commented noted reminded prompted coaxed soothed
    chided scolded cautioned advised ordered commanded instructed echoed faltered implored entreated
    ejaculated resumed proceeded pursued smiled grinned smirked beamed winced grunted yawned hollered
    called bawled howled screeched roared trilled lisped wheezed stormed fumed raged seethed spat
    sniffed sniffled snorted shouted whined wondered mused thought reasoned argued complained
    objected acknowledged affirmed exploded cut interjected volunteered greeted reassured apologized
    apologised gushed babbled blabbed prattled recited read counted hazarded guessed supposed
    muttered grated rumbled boomed piped chimed spoke""".split()
)
_PRESENT = (
    "says asks replies answers cries shouts whispers mutters murmurs exclaims continues adds calls yells "
    "screams snaps growls hisses gasps sighs laughs breathes begins returns observes remarks repeats "
    "responds demands explains declares suggests insists protests admits agrees interrupts tells "
    "thinks wonders smiles grins sneers speaks"
).split()
_ALL_VERBS = sorted(set(SPEECH_VERBS_PAST) | set(_PRESENT), key=len, reverse=True)
#: Every speech verb form, for a quick membership test before the patterns run.
SPEECH_VERB_SET = frozenset(_ALL_VERBS)
# a particle, not a preposition: "broke in", but not "said in an altered tone"
#: Speech verbs of two words whose first word alone says nothing of speech ("broke in", "went on").
_PHRASAL = (
    r"(?:(?:broke|breaks|cut|cuts|put|puts|chimed|chimes|struck|strikes)\s+in|(?:went|goes)\s+on|burst\s+out"
    r"|(?:wound|winds|summed|sums)\s+up|(?:broke|breaks)\s+off"
    # a habit or a future: "he would say to me", "she used to say"
    r"|(?:would|will|used\s+to)\s+(?:often\s+|always\s+|sometimes\s+)?"
    r"(?:say|ask|reply|answer|cry|exclaim|add|remark|observe|repeat|whisper|murmur|shout))"
)
PHRASAL_VERB = re.compile(rf"\b{_PHRASAL}\b")
_VERB = (
    rf"(?:{_PHRASAL}\b|"
    r"(?:" + "|".join(_ALL_VERBS) + r"))"
    r"(?:\s+(?:out|back|on|up|in)(?!\s+(?:a|an|the|his|her|my|their|our|your|this|that|which)\b))?"
)
SPEECH_VERB = re.compile(_VERB, re.IGNORECASE)
#: Speech reported in narration: "mumbled that ...", "asked him whether ...".
REPORTED_SPEECH = re.compile(
    r"\b(?:" + "|".join(_ALL_VERBS) + r")\s+(?:(?:to\s+)?(?:him|her|them|me|us)\s+)?(?:that|whether|if)\b"
)
SPEECH_VERB_WORD = re.compile(r"\b(?:" + "|".join(_ALL_VERBS) + r")\b")

#: Speech verbs in -ing, which may end the clause before a line ("leaning forward and remarking:").
SPEECH_ING = frozenset(
    """saying asking adding remarking replying answering crying exclaiming observing continuing calling
    whispering murmuring shouting muttering demanding inquiring enquiring explaining declaring
    rejoining retorting""".split()
)
SPEECH_ING_WORD = re.compile(r"\b(?:" + "|".join(sorted(SPEECH_ING)) + r")\b")

#: Verbs that frame a thought rather than speech.
THOUGHT_VERB = re.compile(r"\b(?:thought|thinks|wondered|wonders|mused|reflected|pondered|realized|realised)\b")

_TITLE = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Lady|Lord|Sir|Dame|Captain|Capt|Colonel|Col|General|Major|"
    r"Lieutenant|Sergeant|Aunt|Uncle|Madame|Madam|Monsieur|Mademoiselle|Mme|Mlle|Father|Mother|Brother|"
    r"Sister|Saint|St|King|Queen|Prince|Princess|Count|Countess|Duke|Duchess|Baron|Rev|Reverend|Master|Mistress)"
)
_NAME_WORD = r"[A-Z][\w\u2019'-]*"
NAME = rf"(?:{_TITLE}\.?\s+)?{_NAME_WORD}(?:\s+(?:de\s+|van\s+|von\s+)?{_NAME_WORD}){{0,2}}"
_NOMINATIVE_PRONOUN = r"(?:he|she|they|I|we|you|He|She|They|We|You)"
_DETERMINER = r"(?:the|his|her|my|their|our|your|a|an|this|that|The|His|Her|My|Their|Our|A|An|This|That)"
_NOUN_WORD = (
    r"(?!(?:and|or|but|then|who|in|on|at|of|to|from|with|by|for|was|were|is|are|had|has|have|did|does|would"
    r"|could|should|will|once|again|too|also|then|now|still|yet|there|here|so|[a-z]+ly)\b)[a-z][\w-]*"
)
# "a tall, thin woman", but not "the old ferryman, calling"
_NOMINAL = rf"{_DETERMINER}\s+(?:{_NOUN_WORD}(?:,\s+(?![a-z]+(?:ing|ed)\b)|\s+)){{0,2}}{_NOUN_WORD}"
NOMINAL = _NOMINAL
#: Someone the text does not name: each is a speaker of its own ("somebody exclaimed").
INDEFINITE = (
    r"(?:[Ss]omebody(?:\s+else)?|[Ss]omeone(?:\s+else)?|[Ss]ome\s+one(?:\s+else)?"
    r"|[Oo]ne\s+of\s+(?:the|them|us|his|her|their)(?:\s+[a-z]+)?|[Aa]nother)"
)
SUBJECT = rf"(?:{INDEFINITE}|{_NOMINATIVE_PRONOUN}|{NAME}|{_NOMINAL})"
_ADV = r"(?:[a-z]+ly\s+|then\s+|again\s+|at\s+last\s+|at\s+once\s+|now\s+|once\s+|also\s+|just\s+|still\s+)"
#: A speech verb that may come before its subject ("said Gin"); "told X" / "reminded X" name the
#: one spoken to, never the speaker.
_INVERTIBLE = rf"(?!(?:told|tells|reminded|reminds|assured|assures|promised|promises)\b){_VERB}"

#: A tag right after a quote: ``, said Gin`` / `` Gin said`` / `` he said, slyly``.
TAG_AFTER = re.compile(
    rf"""[\s,;:\u2014\u2013-]*(?:{_ADV})?(?:
        (?P<subj1>{SUBJECT})\s+(?:{_ADV}){{0,2}}(?P<verb1>{_VERB})\b
      | (?P<verb2>{_INVERTIBLE})\s+(?:{_ADV})?(?P<subj2>{SUBJECT})\b
    )""",
    re.VERBOSE,
)
#: "Mary heard her say" / "to hear the Rabbit say": the one heard is the speaker, not the hearer.
HEARD_SAY = re.compile(
    rf"""\b(?:heard|hear|hears|hearing)\s+(?P<subj>{NAME}|{_NOMINAL}|her|him|them)\s+
    (?:say|says|saying|ask|asking|cry|crying|call|calling|whisper|whispering|mutter|muttering|exclaim|shout|shouting|
    speak|add|remark|reply|answer|murmur)\b""",
    re.VERBOSE,
)
#: A subject opening a clause: a name or a description ("The oldest of the colts ...").
CLAUSE_SUBJECT = re.compile(rf"(?:(?:and|but|then|so|now)\s+)?(?P<subj>{NAME}|{_NOMINAL})\b")

#: A tag right before a quote: ``Gin said, `` / ``said Gin: `` / ``He turned and said, ``.
TAG_BEFORE = re.compile(
    rf"""(?:
        (?P<subj1>{SUBJECT})\s+(?:{_ADV}){{0,2}}(?P<verb1>{_VERB})
      | (?P<verb2>{_INVERTIBLE})\s+(?P<subj2>{SUBJECT})
    )(?:\s+(?:to|at|towards?)\s+[\w\u2019'. ]{{1,30}}?)?(?:\s*,?\s+[a-z]+ly)?\s*[,:.\u2014\u2013-]?\s*$""",
    re.VERBOSE,
)

#: Irregular past-tense verbs of a beat ("Her brother shook his head."); regular ones end in -ed.
BEAT_VERBS = (
    r"(?:sat|stood|took|shook|came|went|made|gave|got|held|kept|let|put|ran|saw|felt|knew|thought|"
    r"said|spoke|rose|fell|threw|drew|bit|hid|led|left|lit|hung|swung|struck|sprang|stuck|began|"
    r"caught|brought|bent|leant|leapt|slid|spun|wore|woke|broke|chose|froze|grew|blew|flew|met|found|sank|swept)"
)
#: A listener's reaction after a line ("Philip did not know what she meant.", "He made no answer."):
#: failing to understand or to answer the other party's words; its subject heard the line.
LISTENER_REACTION = re.compile(
    r"\b(?:(?:did|could|would)\s*(?:not|n['\u2019]t)\s+(?:quite\s+|at\s+once\s+)?"
    r"(?:understand|comprehend|follow|answer|reply|respond|grasp)\b"
    r"|(?:knew|know|understood|understand|wondered|guessed|guess)\s+(?:not\s+)?what\s+(?:he|she|they)\s+"
    r"(?:meant|was\s+(?:saying|talking\s+about|driving\s+at))\b"
    r"|made\s+no\s+(?:answer|reply|response)\b)"
)
#: Narration saying its subject said nothing back ("Mr. Pett grunted, but made no verbal comment.").
SILENT = re.compile(
    r"\b(?:(?:did|could|would)\s*(?:not|n['\u2019]t)\s+(?:answer|reply|respond)\b"
    r"|made\s+no\s+(?:verbal\s+)?(?:answer|reply|response|comment|remark|rejoinder)\b"
    r"|said\s+nothing\b|(?:was|remained|kept)\s+silent\b)"
)
#: Verbs of a reply: the one who speaks is not the one who spoke just before.
REPLY_VERB = re.compile(r"(?:replied|answered|returned|rejoined|retorted|responded|replies|answers|returns|retorts)")

#: A title that tells a character's gender.
GENDERED_TITLE = re.compile(
    r"(?:(?P<he>Mr|Sir|Lord|Father|Uncle|Brother|King|Prince|Duke|Count|Baron|Master|Monsieur)|"
    r"(?:Mrs|Miss|Ms|Lady|Mother|Aunt|Sister|Queen|Princess|Duchess|Countess|Madame|Madam|Mademoiselle|Mme|Mlle|Dame))\b"
)

#: Nouns that tell a description's gender ("the old man", "his sister").
_NOUN_GENDER_WORDS = {
    "he": """man men gentleman boy lad fellow father brother son uncle husband king prince lord duke
    grandfather nephew sir master monk priest squire chap bloke""",
    "she": """woman lady girl lass mother sister daughter aunt wife queen princess duchess grandmother
    niece madam mistress maid widow nun""",
}
NOUN_GENDER: dict[str, str] = {w: g for g, ws in _NOUN_GENDER_WORDS.items() for w in ws.split()}


def noun_gender(description: str) -> str:
    """``he`` / ``she`` from a description's last word, else ``unknown``.

    >>> noun_gender("the old man"), noun_gender("her sister"), noun_gender("the doctor")
    ('he', 'she', 'unknown')
    """
    words = description.lower().split()
    return NOUN_GENDER.get(words[-1].strip(".,;:!?"), "unknown") if words else "unknown"


#: Pronouns by gender, for resolving ``he said`` without a coreference layer.
PRONOUN_GENDER: dict[str, str] = {
    "he": "he", "him": "he", "his": "he", "himself": "he",
    "she": "she", "her": "she", "hers": "she", "herself": "she",
    "they": "they", "them": "they", "their": "they",
}
NOMINATIVE_PRONOUNS = frozenset("he she they i we".split())
PRONOUN = re.compile(r"\b(?:he|she|him|her|his|they|them|I|we|me|my)\b", re.IGNORECASE)

#: Words before a name that make it an object, not a subject.
OBJECT_WORDS = frozenset(
    """to with at for from by of on in into toward towards behind beside about like than upon after before under
    over against near past saw see sees watched told asked kissed took followed led""".split()
)


def object_before(text: str, start: int) -> bool:
    """True when the word before ``start`` makes what follows an object (``to Mary``, ``Tom's Mary``).

    >>> object_before("He gave it to Mary", 14), object_before("Then Mary", 5)
    (True, False)
    """
    head = text[max(0, start - 20) : start]
    if not head[-1:].isspace():
        return False
    words = head.split()
    if not words:
        return False
    last = words[-1]
    return last.lower() in OBJECT_WORDS or last.endswith(("'s", "\u2019s"))

#: A verb right after a name makes it a subject after all ("had not been able to answer Nasty Roche
#: had asked").
VERB_AFTER = re.compile(r"\s+(?:had|has|was|were|is|did|would|could|should|will|[a-z]+ed)\b")
#: A name right after an infinitive ("went to get Annie", "wanted to see Tom") is its object.
INFINITIVE_BEFORE = re.compile(r"\bto\s+(?!(?:whom|which|where|when|and|or|be)\s)[a-z]+\s+$")


def infinitive_before(text: str, start: int) -> bool:
    """True when the name at ``start`` is the object of an infinitive.

    >>> infinitive_before("and went to get Annie", 16), infinitive_before("up to Annie", 6)
    (True, False)
    """
    return INFINITIVE_BEFORE.search(text, max(0, start - 30), start) is not None


#: Narration that frames the next quote as remembered speech ("that's what Gin had told him").
MEMORY_FRAME = re.compile(
    r"\b(?:(?:had|'d)\s+(?:\w+ly\s+|once\s+|always\s+|often\s+)?(?:told|said|asked|promised|whispered|called|sworn|"
    r"shouted|murmured|written|warned|assured)|used\s+to\s+(?:say|tell|call)|would\s+(?:always\s+|often\s+)?"
    r"(?:say|tell)|remembered|recalled|recollected|remembers|recalls|words\s+echoed|echoed\s+in\s+his\s+mind)\b",
    re.IGNORECASE,
)
#: The one remembered: the subject right before a memory frame ("what *her mother* had told her").
FRAME_SUBJECT = re.compile(rf"(?P<subj>{NAME}|{_NOMINAL}|he|she|they|He|She|They)\s+(?:\w+ly\s+)?$")
#: Narration after a remembered line showing its speaker is really there after all.
PRESENCE = re.compile(
    r"\b(?:there\s+(?:was|stood|sat)|looked\s+up|turned\s+(?:around|round)|hearing\s+things|appeared|"
    r"stood\s+(?:there|before|in\s+front)|was\s+standing|was\s+there|in\s+front\s+of\s+him|in\s+front\s+of\s+her)\b",
    re.IGNORECASE,
)
#: A tag that turns a line to a group: "she said to them", "he told the others".
GROUP_ADDRESS = re.compile(
    r"\b(?:to|told|addressed|asked)\s+(?:them|everyone|everybody|the\s+(?:others|group|room|class|crowd|company|men|women|boys|girls|children)|all)\b",
    re.IGNORECASE,
)
#: A voice in the narration: "Henrietta Watkin's voice", "the voice of the clever lady", "a voice".
VOICE_OF = re.compile(
    rf"\b(?:(?P<subj>{NAME})['\u2019]s\s+(?:[a-z]+\s+)?voice|the\s+voice\s+of\s+(?P<subj2>{NAME}|{_NOMINAL})|"
    r"(?:a|another)\s+(?:[a-z]+\s+)?voice)\b"
)
#: A line opening on words that call a group: "Both of you, upstairs.", "Children!", "You two, stop it."
GROUP_VOCATIVE = re.compile(
    r"""["'\u201c\u2018]\s*(?:[Oo]h,?\s+)?(?:[Bb]oth\s+of\s+you|[Aa]ll\s+of\s+you|[Yy]ou\s+(?:two|three|all|lot|guys|people)"""
    r"|[Ee]veryone|[Ee]verybody|[Cc]hildren|[Bb]oys|[Gg]irls|[Gg]entlemen|[Ll]adies|[Ff]olks|[Gg]uys)\s*[,!.?\u2014]"
)
#: Whom a tag names as spoken to: "she whispered to the nurse", "said he to Temple, addressing the old man".
TAG_ADDRESSEE = re.compile(rf"\s*(?:,\s*)?(?:to|addressing)\s+(?P<obj>{NAME}|{_NOMINAL})\b")
#: Words after which a name at a question's end is an object, not a vocative ("Did you see Gin?").
NOT_VOCATIVE_BEFORE = re.compile(
    r"\b(?:to|with|at|for|from|by|of|on|in|into|about|like|than|see|saw|seen|tell|told|ask|asked|is|was|"
    r"and|or|the|a|an|meet|met|know|knew|love|loved|find|found|call|called|help|get|got|trust|believe|"
    r"kill|killed|hate|want|need|seen|heard|hear|where's|where|poor)\s+$",
    re.IGNORECASE,
)
#: "--and Fergus, what have you been doing?": a name after a conjunction that opens a clause, with
#: a question or a "you" right after its comma, turns to a new addressee.
VOCATIVE_AFTER_AND = re.compile(r"(?:[,.!?;:\u2014\u2013\u2026]|--)\s*(?:and|but|now|so|then)\s+$")
VOCATIVE_TURN = re.compile(
    r",\s+(?:you|your|what|why|how|where|when|who|which|do|did|does|will|would|can|could|have|has|are|is|"
    r"were|was|shall|should|may|must|don't|won't|can't|let|come|go|tell|look)\b"
)
VOCATIVE_LEAD = re.compile(r"(?:^|[,.!?;:\u2014\u2013\u2026]\s*|\b(?:my|dear|oh|O|hey|hi|hello|dearest)\s+)$")
VOCATIVE_TAIL = re.compile(r"^(?:\s*(?:[,!?.;:\u2014\u2013\u2026]|$)|['\u2019]?\s*[\"\u201d'\u2019~]?\s*$)")
