"""Voice profiles (issue 4): eye-dialect features and ranking lines by who talks like that."""

from __future__ import annotations

import pytest

from fabula.stages.voice import VoiceModel, VoiceProfile, eye_dialect_tokens, rank_voices, voice_features


@pytest.mark.parametrize(
    ("word", "kind"),
    [("blushin'", "drop-g"), ("hur'", "drop-final"), ("ya", "word"), ("I'z", "word"), ("'em", "word")],
)
def test_voice_eye_dialect_kinds(word, kind):
    line = f"well {word} then"
    assert [(line[s:e], k) for s, e, k in eye_dialect_tokens(line)] == [(word, kind)]


@pytest.mark.parametrize("line", ["It really doesn't matter.", "The lads' boots were wet.", "'Hello,' she said."])
def test_voice_standard_english_has_no_dialect(line):
    assert voice_features(line)["dialect"] == 0.0


def test_voice_features_count_words_and_marks():
    f = voice_features("Don' be scared, Idzuru... jus' relax... I'z won' hur' ya!")
    assert f["dialect"] == 6.0  # Don' jus' I'z won' hur' ya
    assert f["w:ya"] == 1.0 and f["exclaim"] == 1.0 and f["ellipsis"] == 2.0


def test_voice_profile_dialect_rate_tells_speakers_apart():
    gin, kira = VoiceProfile("gin"), VoiceProfile("kira")
    for line in ("Don' be scared, ya hear?", "Come with meh, I'z gonna take care of ya."):
        gin.add(voice_features(line))
    kira.add(voice_features("Captain, where are we going? It really doesn't matter."))
    assert gin.dialect_rate() > 0.3 > kira.dialect_rate()
    model = VoiceModel([gin, kira])
    assert model.rank(voice_features("Wha's wrong? Ya seem upse'."))[0][0] == "gin"
    assert model.rank(voice_features("I don't know where we are going."))[0][0] == "kira"


def test_voice_rank_is_a_distribution_over_the_candidates_given():
    a, b, c = VoiceProfile("a"), VoiceProfile("b"), VoiceProfile("c")
    a.add(voice_features("Ain't nothin' doin', pardner."))
    b.add(voice_features("I should be delighted, thank you."))
    c.add(voice_features("Indeed, most delightful."))
    ranked = VoiceModel([a, b, c]).rank(voice_features("Ain't that somethin'."), ["a", "b"])
    assert [x for x, _ in ranked] == ["a", "b"]
    assert sum(p for _, p in ranked) == pytest.approx(1.0)
    assert rank_voices({"dialect": 0.0}, []) == []
