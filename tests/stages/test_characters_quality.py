"""Characters stage conventions that speaker attribution leans on (issue 3, for issue 4)."""

from __future__ import annotations

import pytest

import fabula
from fabula.characters.cluster import cluster_names, marital
from fabula.characters.tables import TABLES


def _chars(story: fabula.Story) -> dict[str, set[str]]:
    return {c.name: {a.name for a in c.aliases} for c in story.characters}


def _mention(story: fabula.Story, text: str) -> fabula.model.Mention:
    return next(m for m in story.layer("mentions") if story.span_text(m) == text)


@pytest.mark.issue(3)
def test_cluster_miss_and_mrs_of_one_family_are_two_women():
    text = "Miss Hartley and Mrs. Hartley took tea. Miss Hartley poured; Mrs. Hartley watched."
    spans = [(0, 12), (17, 30), (40, 52), (61, 74)]
    assert cluster_names(text, spans) == ["c0", "c1", "c0", "c1"]
    assert marital(("miss",)) == "u" and marital(("lady",)) == "m"


@pytest.mark.issue(3)
def test_cluster_mrs_surname_is_not_the_girl_called_by_her_given_name():
    text = "Ruth Calder ran. Ruth fell. Ruth laughed. Mrs. Calder sighed."
    spans = [(0, 11), (17, 21), (28, 32), (42, 54)]
    ids = cluster_names(text, spans)
    assert ids[:3] == ["c0", "c0", "c0"] and ids[3] == "c1"


@pytest.mark.issue(3)
def test_cluster_nickname_izzy_names_isadora():
    assert "izzy" in TABLES.variants("isadora")


@pytest.mark.issue(3)
def test_resolve_possessive_spouse_joins_the_titled_relative():
    text = (
        "Mr. Thorne came home late. Mrs. Thorne was at the window and Mr. Pike was at the gate. "
        "Mr. Thorne sat down by the fire. He smiled, and his wife laughed at him."
    )
    story = fabula.analyze(text)
    wife = _mention(story, "his wife")
    assert wife.character is not None
    assert wife.character == _mention(story, "Mrs. Thorne").character


@pytest.mark.issue(3)
def test_resolve_possessive_parent_needs_a_shared_family_name():
    text = "Mrs. Pike waved from the gate. Dora Lane ran down the lane. Her mother called after her."
    story = fabula.analyze(text)
    assert _mention(story, "Her mother").character is None


@pytest.mark.issue(3)
def test_resolve_name_only_in_speech_and_never_called_out_is_not_joined_to_addressee():
    text = (
        'Mirela stood at the door. Tomas Reed came in.\n\n"I saw the Margery Ash come in," Tomas said.\n\n'
        '"Then we wait," Mirela said.\n\n"The Margery Ash will sail at dawn," Tomas said.'
    )
    story = fabula.analyze(text)
    mirela = next(c for c in story.characters if "Mirela" in {a.name for a in c.aliases})
    assert {a.name for a in mirela.aliases} == {"Mirela"}


@pytest.mark.issue(3)
def test_resolve_ungendered_description_is_not_joined_to_a_named_character():
    text = "Ada Vey sat by the stove. The servant brought in the tea and left."
    story = fabula.analyze(text)
    servant = _mention(story, "The servant")
    ada = next(c for c in story.characters if c.name == "Ada Vey")
    assert servant.character != ada.id


@pytest.mark.issue(3)
def test_resolve_indefinite_newcomer_is_an_unnamed_character_pronouns_name():
    text = (
        "Ada Vey stood behind the counter. A tall man came into the shop. He looked at the shelves "
        'for a long while.\n\n"Have you any lamp oil?" he asked.'
    )
    story = fabula.analyze(text)
    man = _mention(story, "A tall man").character
    assert man is not None and man != "ada-vey"
    assert _mention(story, "He").character == man
    assert next(c for c in story.characters if c.id == "ada-vey").pronouns != "he"


# --- the cast for attribution, third round -------------------------------------------------


@pytest.mark.issue(4)
def test_resolve_pronoun_no_character_fits_names_the_person_introduced():
    text = (
        "Wren Tollan stood at the rail of the ferry. She had been watching the gulls for an hour.\n\n"
        "A man's shadow fell across her book. She looked up. He was tall and thin, and he seemed afraid.\n\n"
        '"Forgive me," he said.'
    )
    story = fabula.analyze(text)
    man = _mention(story, "A man").character
    assert man is not None and man != "wren-tollan"
    assert _mention(story, "He").character == man
    assert story.layer("quotes")[0].speaker == man


@pytest.mark.issue(4)
def test_resolve_plural_description_never_takes_he_or_she():
    text = (
        "The sailors came up from the hold. The sailors were laughing. Oren Vask watched them go.\n\n"
        "He turned back to the wheel."
    )
    story = fabula.analyze(text)
    assert _mention(story, "He").character == "oren-vask"


@pytest.mark.issue(4)
def test_cluster_census_given_name_keeps_the_other_title_out():
    text = "Winnie Halloran came in. Mr. Halloran followed her. Mrs. Halloran smiled at him."
    spans = [(0, 15), (25, 38), (52, 66)]
    assert cluster_names(text, spans) == ["c0", "c1", "c0"]


@pytest.mark.issue(4)
def test_cluster_bare_surname_names_the_man_of_the_family():
    text = "Mr. Pennock and Mrs. Pennock sat down. Mrs. Pennock spoke first. Pennock only grunted."
    spans = [(0, 11), (16, 28), (39, 51), (65, 72)]
    assert cluster_names(text, spans) == ["c0", "c1", "c1", "c0"]


@pytest.mark.issue(4)
def test_cluster_old_before_a_title_is_a_modifier_young_is_a_name():
    text = "Old Mr Pennock grumbled. Mr Pennock always grumbled. Young Jory and Old Jory came."
    spans = [
        (text.index(w, 1 if w == "Mr Pennock" else 0), text.index(w, 1 if w == "Mr Pennock" else 0) + len(w))
        for w in ("Old Mr Pennock", "Mr Pennock", "Young Jory", "Old Jory")
    ]
    ids = cluster_names(text, spans)
    assert ids[0] == ids[1] and ids[2] != ids[3]


@pytest.mark.issue(4)
def test_resolve_narrators_father_is_one_unnamed_character():
    text = (
        "I was twelve that summer. My father kept the mill at Ashby, and I helped him with the sacks.\n\n"
        '"Mind the stairs," said my father.\n\n'
        "I minded them. My father laughed at me."
    )
    story = fabula.analyze(text)
    fathers = {m.character for m in story.layer("mentions") if story.span_text(m).lower() == "my father"}
    assert len(fathers) == 1 and None not in fathers
    assert story.layer("quotes")[0].speaker in fathers


@pytest.mark.issue(4)
def test_resolve_relative_of_someone_else_is_not_the_narrators_relative():
    text = "I met my brother's wife at the gate. My brother was inside. I went in to my brother."
    story = fabula.analyze(text)
    brother = _mention(story, "My brother").character
    assert brother is not None
    assert _mention(story, "my brother’s wife" if "’" in text else "my brother's wife").character != brother


@pytest.mark.issue(4)
@pytest.mark.parametrize(
    ("before", "vocative"),
    [
        ("Nonsense, ", True),
        ("\u201c", True),
        ("my dear ", True),
        ("Oh ", True),
        ("neither Mrs. ", False),
        ("for ", False),
    ],
)
def test_resolve_vocative_needs_punctuation_or_a_word_of_address_before(before, vocative):
    from fabula.characters.resolve import _TITLE_BEFORE, _VOCATIVE_BEFORE

    assert (_VOCATIVE_BEFORE.search(before) is not None and not _TITLE_BEFORE.search(before)) is vocative


@pytest.mark.issue(4)
def test_resolve_two_full_names_are_never_joined_as_vocative():
    text = (
        "Hollis Crane sat with Adam Fenwick by the fire.\n\n"
        '"Tell it to Lord Stavely, then," Hollis said.\n\n'
        '"Lord Stavely, I think, would laugh," said Adam Fenwick.'
    )
    story = fabula.analyze(text)
    adam = next(c for c in story.characters if c.name == "Adam Fenwick")
    assert not any("Stavely" in a.name for a in adam.aliases)


@pytest.mark.issue(4)
def test_resolve_census_gives_a_full_name_a_pronoun_when_nothing_else_does():
    story = fabula.analyze("Captain Margaret Brandt came aboard at noon. The crew cheered Captain Brandt.")
    brandt = next(c for c in story.characters if "Brandt" in c.name)
    assert brandt.pronouns == "she"


@pytest.mark.issue(4)
def test_resolve_a_modifier_alone_is_no_name():
    text = 'Old Crow walked to the river.\n\n"The Old Stairs are dark," said Old Crow. "Light the Old Stairs."'
    story = fabula.analyze(text)
    assert all(a.name != "Old" for c in story.characters for a in c.aliases)
    assert all(not c.name.startswith("Old") or c.name == "Old Crow" for c in story.characters)


@pytest.mark.issue(4)
def test_cluster_rank_and_miss_on_one_surname_are_two_people():
    text = "Miss Varley sang. Captain Varley listened. Miss Varley stopped."
    spans = [(0, 11), (18, 32), (43, 54)]
    assert cluster_names(text, spans) == ["c0", "c1", "c0"]
    text = "Isadora Varley came in. Captain Varley sat. Miss Varley smiled."
    spans = [(0, 14), (24, 38), (44, 55)]
    assert cluster_names(text, spans) == ["c0", "c0", "c0"]


@pytest.mark.issue(4)
def test_resolve_description_of_no_gender_takes_a_pronoun_only_when_no_one_else_can():
    text = (
        "A woman lay in the bed by the window. The doctor came to the bedside. The doctor looked grave.\n\n"
        '"Do not take him yet," she moaned.'
    )
    story = fabula.analyze(text)
    she = _mention(story, "she").character
    assert she is not None and she == _mention(story, "A woman").character
    assert she != _mention(story, "The doctor").character


# --- the cast for attribution, fourth round ------------------------------------------------


def _char_of(story: fabula.Story, alias: str) -> fabula.model.Character:
    return next(c for c in story.characters if alias in {a.name for a in c.aliases})


@pytest.mark.issue(3)
def test_cluster_short_form_that_begins_one_given_name_joins_it():
    text = "Haruto Ishida bowed. Haru laughed. Kenji Mori waved. Haru-kun sat."
    spans = [(0, 13), (21, 25), (35, 45), (53, 61)]
    assert cluster_names(text, spans) == ["c0", "c0", "c1", "c0"]
    # a full given name is no short form of a surname: "John" is not "Johnson"
    text = "Johnson sat. John stood."
    assert cluster_names(text, [(0, 7), (13, 17)]) == ["c0", "c1"]


@pytest.mark.issue(3)
def test_cluster_heading_in_capitals_keeps_only_words_used_as_names():
    text = "MISTRESS MARY QUITE CONTRARY. Mary Lennox frowned. Mary sat."
    spans = [(0, 28), (30, 41), (51, 55)]
    assert cluster_names(text, spans) == ["c0", "c0", "c0"]


@pytest.mark.issue(3)
def test_resolve_spoken_rank_and_honorific_name_the_one_who_bears_them():
    text = (
        "Sergeant Pell Orrin leaned on the gate. Okabe-sensei watched from the porch.\n\n"
        '"Wasn\'t me, Sarge," the boy said.\n\n'
        '"Sensei, he is lying," Pell said.'
    )
    story = fabula.analyze(text)
    assert "Sarge" in {a.name for a in _char_of(story, "Sergeant Pell Orrin").aliases}
    assert "Sensei" in {a.name for a in _char_of(story, "Okabe-sensei").aliases}


@pytest.mark.issue(3)
def test_resolve_the_rank_names_the_one_character_who_bears_it_by_name():
    text = (
        "Captain Ysolde Marren looked up from the ledger. The captain sighed.\n\n"
        "Later the commander, Ilse Brandt, came aboard. The commander was tired."
    )
    story = fabula.analyze(text)
    marren = _char_of(story, "Captain Ysolde Marren")
    assert _mention(story, "The captain").character == marren.id
    assert _mention(story, "the commander").character == _mention(story, "Ilse Brandt").character


@pytest.mark.issue(3)
def test_resolve_the_rank_named_only_later_is_not_that_character():
    text = "The doctor came to the bedside. The doctor looked grave. Weeks later Dr. Wigram called."
    story = fabula.analyze(text)
    assert _mention(story, "The doctor").character != _mention(story, "Dr. Wigram").character


@pytest.mark.issue(4)
def test_resolve_vocative_name_joins_the_one_who_answers_it():
    text = (
        "I sat by the fire with my book. My uncle and Mr Quill were talking, and I did not look up.\n\n"
        '"A boy should play outside. Am I right, Jory?" said Mr Quill.\n\n'
        '"You are," said my uncle. "I always say so."'
    )
    story = fabula.analyze(text)
    assert "Jory" in {a.name for a in _char_of(story, "my uncle").aliases}


@pytest.mark.issue(4)
def test_resolve_title_alone_is_not_joined_as_a_vocative():
    text = (
        "Lucy Honey came down the stairs.\n\n"
        '"Signora, is there hot water?" Lucy asked.\n\n'
        '"Not yet," said Lucy\'s cousin.'
    )
    story = fabula.analyze(text)
    assert "Signora" not in {a.name for c in story.characters if c.name.startswith("Lucy") for a in c.aliases}


@pytest.mark.issue(3)
def test_resolve_pronoun_of_the_next_speaker_is_no_gender_evidence():
    text = (
        'Corvin Ashby set the lantern down on the crate. "We go at midnight," Corvin said.\n\n'
        '"Midnight is too late." She leaned closer to the map and traced the river.\n\n'
        'Corvin shrugged. "Then we go at eleven."'
    )
    story = fabula.analyze(text)
    assert _char_of(story, "Corvin Ashby").pronouns != "she"


@pytest.mark.issue(3)
def test_resolve_region_or_place_reached_is_not_a_character():
    text = (
        "Ada Vey went to Ruritania in May. Ada found Ruritania cold, and Ada left for Ohio. "
        "Ohio was warmer. From Ruritania she wrote to nobody."
    )
    story = fabula.analyze(text)
    names = {a.name for c in story.characters for a in c.aliases}
    assert "Ohio" not in names and "Ruritania" not in names
    assert "Ada Vey" in names


@pytest.mark.issue(4)
def test_resolve_occupation_in_a_speech_tag_is_an_unnamed_character():
    text = (
        "Tom Brill came down to the dock. The porter was waiting by the cart.\n\n"
        '"Where to, sir?" said the porter.\n\n'
        '"The inn," said Tom.'
    )
    story = fabula.analyze(text)
    porter = _mention(story, "the porter").character
    assert porter is not None and porter != "tom-brill"
    assert story.layer("quotes")[0].speaker == porter


@pytest.mark.issue(4)
def test_resolve_narrator_takes_at_most_one_vocative_name():
    text = (
        "I came into the office and shut the door.\n\n"
        '"You\'re late, Pippa," the captain said. I shrugged.\n\n'
        '"Pippa, where is the crate?" she asked. I pointed at the cellar.\n\n'
        '"Dick, fetch it," she said to me. I went.\n\n'
        '"Dick, hurry," she called. I ran.'
    )
    story = fabula.analyze(text)
    narrator = next((c for c in story.characters if {"Pippa", "Dick"} & {a.name for a in c.aliases}), None)
    assert narrator is None or not {"Pippa", "Dick"} <= {a.name for a in narrator.aliases}


@pytest.mark.issue(3)
def test_resolve_description_the_text_gives_one_named_character_names_it():
    text = (
        "Basil Crane, the painter, stood at the easel. Dora Finch sat by the window.\n\n"
        "The painter stepped back from the canvas. The woman at the window said nothing."
    )
    story = fabula.analyze(text)
    assert _mention(story, "The painter").character == _mention(story, "Basil Crane").character
    assert _mention(story, "The woman").character != _mention(story, "Basil Crane").character


@pytest.mark.issue(4)
def test_resolve_tag_pronoun_deep_in_an_exchange_names_the_one_of_its_gender_before():
    lines = [f'"Line {k} of a long quarrel about the roof, the rent and the cat."' for k in range(8)]
    text = (
        "Mr. Tull sat by the fire. Mrs. Tull came in with the letters.\n\n"
        + "\n\n".join(lines)
        + '\n\n"My dear Mr. Tull, will you answer me?"\n\n"Not tonight," replied he.'
    )
    story = fabula.analyze(text)
    assert _mention(story, "he").character == _mention(story, "Mr. Tull").character


@pytest.mark.issue(4)
def test_resolve_gender_reads_her_possessive_after_a_name_the_census_lacks():
    # Aiko and Yuki are not in the census: only the pronouns after the names tell; "her brother.
    # He ..." and "handed him the cup. He ..." are someone else's "he".
    text = (
        "Yuki and Aiko kept the noodle stall by the station.\n\n"
        "At dawn Yuki took her coat from the hook and handed him the umbrella. He thanked her and went out.\n\n"
        "Aiko laughed at her brother. He had spilled the rice again.\n\n"
        "Later Aiko packed her bag, and Yuki locked the door.\n"
    )
    pronouns = {c.name: c.pronouns for c in fabula.analyze(text).characters}
    assert pronouns.get("Aiko") == "she" and pronouns.get("Yuki") == "she"


@pytest.mark.issue(4)
def test_resolve_gender_ignores_the_pronoun_of_a_name_s_relative():
    # "Kenji's mother ... She" is the mother; Kenji is "he" by his own pronouns.
    text = (
        "Kenji lived above the shop with his mother.\n\n"
        "Kenji's mother stood at the till. She counted the coins twice.\n\n"
        "Kenji swept the floor. He hummed while he worked, and Kenji never missed a day.\n"
    )
    pronouns = {c.name: c.pronouns for c in fabula.analyze(text).characters}
    assert pronouns.get("Kenji") == "he"


@pytest.mark.issue(3)
def test_cluster_spaced_honorific_is_no_name_word():
    # "Sahib" after a name is an honorific many people bear: a bare "Sahib" is not Missie Sahib.
    text = "Missie Sahib ran to the gate. The Sahib called from the veranda."
    assert cluster_names(text, [(0, 12), (34, 39)]) == ["c0", "c1"]


@pytest.mark.issue(4)
def test_resolve_spouse_in_a_tag_belongs_to_the_one_the_speech_calls_by_name():
    # "said his wife" opening the story: "his" has no antecedent in the narration; the speech calls
    # Mr. Hollis by name, so she is his wife, Mrs. Hollis, not a character of her own.
    text = (
        '"My dear Mr. Hollis," said his wife one evening, "the mill has a new owner."\n\n'
        '"Has it?" said Mr. Hollis.\n\n'
        "Mrs. Hollis nodded and folded her letter.\n"
    )
    story = fabula.analyze(text)
    assert _mention(story, "his wife").character == _mention(story, "Mrs. Hollis").character
    assert "his wife" not in {c.name for c in story.characters}


@pytest.mark.issue(4)
def test_resolve_role_noun_right_after_speech_calling_one_person_is_that_person():
    # "the nurse" is first a description of its own (twice), then "Morning, Martha!" calls her by
    # name and "The nurse" acting right after it is Martha, not a third party in the scene.
    text = (
        "The nurse brought the tray. Later the nurse came back for it.\n\n"
        "Tomas was awake when the door opened.\n\n"
        '"Morning, Martha!" he said.\n\n'
        "The nurse set down the cup and smiled at him.\n"
    )
    story = fabula.analyze(text)
    nurses = [m for m in story.layer("mentions") if story.span_text(m).lower() == "the nurse"]
    martha = _mention(story, "Martha").character
    assert nurses[0].character != martha
    assert nurses[-1].character == martha
