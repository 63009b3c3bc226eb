"""WordNet read from its own files (text/thesaurus.py): a tiny made-up database in WordNet's formats."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.text import thesaurus
from assistant.text.thesaurus import (
    WordNet,
    _find_line,
    morphy_candidates,
    parse_counts,
    parse_index_line,
    parse_synset_words,
    wordnet_root,
)

LICENCE = "  1 This software and database is being provided to you\n  2 by Princeton University.\n"


def _data_file(lines: list[str]) -> tuple[str, list[int]]:
    """A data file (licence first) of ``lines`` (each "{offset} rest"), with the byte offsets filled in."""
    text, offsets = LICENCE, []
    for line in lines:
        offsets.append(len(text.encode("utf-8")))
        text += line.replace("{offset}", f"{offsets[-1]:08d}") + "\n"
    return text, offsets


@pytest.fixture()
def wordnet(tmp_path: Path) -> WordNet:
    verbs, (establish, assemble, rear) = _data_file([
        "{offset} 41 v 04 establish 0 set_up 2 found 0 launch 1 000 | set up or found",
        "{offset} 36 v 03 assemble 0 set_up 1 piece 0 000 | create by putting components together",
        "{offset} 41 v 02 rear 0 parent 0 000 | bring up",
    ])
    (tmp_path / "data.verb").write_text(verbs, encoding="utf-8")
    (tmp_path / "index.verb").write_text(LICENCE + "".join(sorted([
        f"establish v 1 0 1 1 {establish:08d}  \n",
        f"set_up v 2 0 2 2 {establish:08d} {assemble:08d}  \n",
        f"setup v 1 0 1 0 {assemble:08d}  \n",
        f"parent v 1 0 1 1 {rear:08d}  \n",
    ])), encoding="utf-8")
    nouns, (parent,) = _data_file(["{offset} 18 n 02 parent 0 genitor 0 000 | a father or mother"])
    (tmp_path / "data.noun").write_text(nouns, encoding="utf-8")
    (tmp_path / "index.noun").write_text(LICENCE + f"parent n 1 0 1 1 {parent:08d}  \n", encoding="utf-8")
    adjs, (credible,) = _data_file(["{offset} 00 s 02 credible 0 believable(a) 0 000 | capable of being believed"])
    (tmp_path / "data.adj").write_text(adjs, encoding="utf-8")
    (tmp_path / "index.adj").write_text(LICENCE + f"believable a 1 0 1 1 {credible:08d}  \ncredible a 1 0 1 1 {credible:08d}  \n",
                                        encoding="utf-8")
    for pos in ("adv",):
        (tmp_path / f"data.{pos}").write_text(LICENCE, encoding="utf-8")
        (tmp_path / f"index.{pos}").write_text(LICENCE, encoding="utf-8")
    (tmp_path / "verb.exc").write_text("setting set\n", encoding="utf-8")
    # "launch" was never tagged in this sense; "found" and "establish" were.
    (tmp_path / "cntlist.rev").write_text(
        "establish%2:41:00:: 1 50\nfound%2:41:00:: 1 9\nparent%1:18:00:: 1 30\ngenitor%1:18:00:: 1 1\n"
        "rear%2:41:00:: 1 5\nparent%2:41:00:: 1 2\nassemble%2:36:00:: 1 3\nset_up%2:41:02:: 1 2\ncredible%5:00:00:believable:00 1 1\n", encoding="utf-8")
    return WordNet(tmp_path)


def test_an_index_line_is_read_with_its_senses_most_frequent_first() -> None:
    entry = parse_index_line("set_up v 3 5 @ ~ > + ; 3 2 02427103 01656806 01661261  ", "verb")
    assert entry.lemma == "set_up" and entry.tagged == 2 and len(entry.offsets) == 3
    assert entry.offsets[:2] == (2427103, 1656806)


def test_a_synset_line_gives_its_lemmas_with_their_sense_keys() -> None:
    words = parse_synset_words("02427103 41 v 04 establish 0 set_up 2 found 0 launch 1 006 @ 02426171 v 0000 | set up")
    assert words == [("establish", "establish%2:41:00"), ("set up", "set_up%2:41:02"), ("found", "found%2:41:00"),
                     ("launch", "launch%2:41:01")]
    assert parse_synset_words("00001 00 s 01 believable(a) 0 000 | x") == [("believable", "believable%5:00:00")]


def test_counts_are_keyed_without_the_head_fields() -> None:
    assert parse_counts("credible%5:00:00:credulous:00 2 1\ncredible%5:00:00:believable:00 1 3\nbad line\n") == {
        "credible%5:00:00": 4}


def test_morphy_tries_exceptions_then_the_word_then_its_detached_forms() -> None:
    assert morphy_candidates("setting", "verb", {"setting": ["set"]}) == ["set", "setting", "sette", "sett"]
    assert "reserve" in morphy_candidates("reserved", "verb", {})
    assert "budget" in morphy_candidates("budgets", "noun", {})


def test_a_sorted_file_is_searched_past_its_licence() -> None:
    data = (LICENCE + "apple n 1\napple_pie n 1\nbanana n 1\n").encode()
    assert _find_line(data, b"apple") == b"apple n 1"
    assert _find_line(data, b"apple_pie") == b"apple_pie n 1"
    assert _find_line(data, b"banana") == b"banana n 1"
    assert _find_line(data, b"cherry") is None and _find_line(data, b"1") is None


def test_a_phrase_gets_the_tagged_lemmas_of_its_first_sense(wordnet: WordNet) -> None:
    assert wordnet.synonyms("set up") == ["establish", "found"]  # not "launch" (never tagged so), not "assemble" (2nd sense)
    assert wordnet.synonyms("setting up") == ["establish", "found"]  # the phrase's head word's base form
    assert wordnet.synonyms("set up", senses=2) == ["establish", "found", "assemble"]  # "piece": never tagged


def test_a_word_is_read_in_its_usual_part_of_speech(wordnet: WordNet) -> None:
    assert wordnet.synonyms("parent") == ["genitor"]  # the noun (tagged 30 times), not the verb "rear" (2)
    assert wordnet.synonyms("parents") == ["genitor"]


def test_an_adjective_and_an_unknown_word(wordnet: WordNet) -> None:
    assert wordnet.synonyms("believable") == ["credible"]
    assert wordnet.synonyms("zebra") == []


def test_without_a_database_the_bridge_is_off_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("WNSEARCHDIR", raising=False)
    assert wordnet_root((str(tmp_path),)) is None
    monkeypatch.setattr(thesaurus, "ROOTS", (str(tmp_path),))
    thesaurus.open_wordnet.cache_clear()
    try:
        with caplog.at_level(logging.INFO, logger="assistant.text.thesaurus"):
            assert thesaurus.open_wordnet() is None
        assert "wordnet-base" in caplog.text
    finally:
        thesaurus.open_wordnet.cache_clear()


def test_the_environment_names_the_database(wordnet: WordNet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WNSEARCHDIR", str(wordnet.root))
    assert wordnet_root(()) == wordnet.root


def test_without_counts_every_lemma_of_the_sense_is_kept(wordnet: WordNet) -> None:
    (wordnet.root / "cntlist.rev").unlink()
    assert WordNet(wordnet.root).synonyms("set up") == ["establish", "found", "launch"]
    assert WordNet(wordnet.root).synonyms("parent") == ["genitor", "rear"]  # every part of speech


def test_concurrent_questions_read_the_same_synonyms(wordnet: WordNet) -> None:
    from concurrent.futures import ThreadPoolExecutor

    words = ["set up", "believable", "setting up", "zebra"] * 50
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(wordnet.synonyms, words))
    assert results == [wordnet.synonyms(w) for w in words]
