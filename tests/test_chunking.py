"""Chunking: sentence boundaries, the model's own token budget, exact offsets, furniture excluded."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, CORPUS_NHS, NEWS, need_shared

from assistant.ingest.chunking import (
    TokenSentenceChunker,
    included_regions,
    model_tokenizer,
    pack_sentences,
    split_sentences,
)
from assistant.ingest.embedding import model_path
from assistant.ingest.loaders import load_paths
from assistant.settings import Settings


def test_split_sentences_keeps_offsets_and_respects_abbreviations_lines_and_bullets() -> None:
    text = "Classification: Official\nPublication reference: PR00557\n\nDr. Smith met e.g. the board. It agreed.\n  • first item\n  • second item"
    spans = split_sentences(text)
    pieces = [text[a:b] for a, b in spans]
    assert pieces == [
        "Classification: Official", "Publication reference: PR00557", "Dr. Smith met e.g. the board.", "It agreed.",
        "• first item", "• second item",
    ]


def test_wrapped_pdf_lines_are_not_split() -> None:
    text = "The NHS will deliver more care at home or closer to home and improve people's access,\nexperience and outcomes for everyone who uses its services."
    assert len(split_sentences(text)) == 1


def test_pack_sentences_respects_budget_breaks_and_overlap() -> None:
    spans = [(i * 10, i * 10 + 9) for i in range(6)]
    counts = [40, 40, 40, 40, 40, 40]
    groups = pack_sentences(spans, counts, budget=100, overlap=1)
    assert groups == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert all(sum(counts[a:b + 1]) <= 100 for a, b in groups)
    no_overlap = pack_sentences(spans, counts, budget=100, overlap=0)
    assert no_overlap == [(0, 1), (2, 3), (4, 5)]
    # A heading starts a new chunk once the current one has enough text, and is not overlapped into.
    with_break = pack_sentences(spans, counts, budget=200, breaks=frozenset({30}), overlap=1)
    assert with_break == [(0, 2), (3, 5)]


def test_a_list_marker_is_never_a_sentence_end_and_a_lead_in_finds_its_whole_list() -> None:
    from assistant.text.sentences import list_after

    text = ("The review will consider four things:\n  1. Whether targets help\n  2. Whether monitoring improves\n"
            "  3. How to hold ICSs to account – locally and nationally\n  4. The relationship with the CQC\n\nAfterwards, more.")
    pieces = [text[a:b] for a, b in split_sentences(text)]
    assert pieces[1:5] == ["1. Whether targets help", "2. Whether monitoring improves",
                           "3. How to hold ICSs to account – locally and nationally", "4. The relationship with the CQC"]
    # Cut after its marker (a chunk boundary), item 4's marker still does not join item 3.
    cut = text[:text.index("4.") + 2]
    assert [cut[a:b] for a, b in split_sentences(cut)][-1] == "3. How to hold ICSs to account – locally and nationally"
    assert list_after(pieces, 0) == 5  # the lead-in and its four items, not the sentence after
    nested = ["3.6.2 It must meet these criteria:", "a) Be a chief executive", "b) Know the sector", "3.6.3 Individuals are not eligible if:"]
    assert list_after(nested, 0) == 3  # the sibling "3.6.3" ends the list of "3.6.2"
    unmarked = ["Each metric meets 5 core criteria:", "aligns to a published objective or duty", "can be interpreted without caveats",
                "Metrics cover different time periods."]
    assert list_after(unmarked, 0) == 3  # markers lost in conversion: short fragments are the items


def test_a_list_ends_at_the_next_numbered_paragraph_or_heading_unless_an_item_opens_a_nested_list() -> None:
    from assistant.text.sentences import list_after

    # A constitution's shape: a lead-in without a marker of its own, lettered items, then the next
    # numbered paragraph and a heading, which are not items of that list.
    run = ["These duties include:", "a) Promoting the NHS Constitution", "b) Acting efficiently;",
           "1.4.6 The ICB is assessed annually.", "1.5 Status of this Constitution", "1.5.1 The ICB was established in 2022."]
    assert list_after(run, 0) == 3
    # An item that ends with a colon opens a nested list of another kind, which the list carries on past.
    nested = ["The panel may:", "a) approve the request", "b) refuse it on one of two grounds:", "i. no evidence",
              "ii. no exceptionality", "c) defer the case", "Panels meet monthly."]
    assert list_after(nested, 0) == 6
    # Legal drafting opens a list with a dash instead of a colon.
    assert list_after(["It will assess its duties under—", "a) section 14Z34,", "b) section 14Z35."], 0) == 3


def test_chunk_glue_never_runs_across_a_heading() -> None:
    from assistant.ingest.chunking import list_glue
    from assistant.ingest.layout import DocLayout

    # Numbered headings look like the numbered items before them ("3. Governance" after "2. two").
    text = "It covers:\n\n1. one\n\n2. two\n\n3. Governance\n\n4. The Chair chairs."
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    heading = text.index("3. Governance")
    layout = DocLayout.from_metadata(text, {"sections": [[heading, "3. Governance", 1]]})
    assert list_glue(text, sentences, layout) == [False, True, True, False, False]


def test_a_glued_list_moves_whole_into_the_next_chunk_and_walls_are_never_crossed() -> None:
    spans = [(i * 10, i * 10 + 9) for i in range(6)]
    counts = [40, 20, 20, 20, 20]
    glue = [False, False, True, True, True]  # sentence 1 is a lead-in, 2 to 4 its items
    assert pack_sentences(spans[:5], counts, budget=100, overlap=0) == [(0, 3), (4, 4)]  # the last item cut off
    assert pack_sentences(spans[:5], counts, budget=100, overlap=0, glue=glue) == [(0, 0), (1, 4)]
    assert pack_sentences(spans, [10] * 6, budget=100, overlap=1, walls=frozenset({30})) == [(0, 2), (3, 5)]


def test_included_regions_complement_exclusions() -> None:
    assert included_regions(100, [[0, 10], [90, 100]]) == [(10, 90)]
    assert included_regions(10, []) == [(0, 10)]


@pytest.fixture(scope="module")
def chunked():
    need_shared()
    settings = Settings.load()
    docs = load_paths([CORPUS, CORPUS_NHS]).documents
    chunker = TokenSentenceChunker(model_path=model_path(settings.embed_model), chunk_tokens=settings.chunk_tokens, embed_metadata=settings.embed_metadata)
    return docs, chunker.get_nodes_from_documents(docs), settings


def test_chunks_fit_the_model_window_measured_with_its_tokenizer(chunked) -> None:
    docs, nodes, settings = chunked
    from llama_index.core.schema import MetadataMode

    tokenizer = model_tokenizer(model_path(settings.embed_model))
    embedded = [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
    counts = tokenizer.count(embedded)
    assert max(counts) + 2 <= 256  # + [CLS] and [SEP]: nothing is silently truncated
    assert sum(counts) / len(counts) > settings.chunk_tokens * 0.5  # and chunks are not needlessly small


def test_chunks_are_exact_slices_that_skip_furniture(chunked) -> None:
    docs, nodes, _ = chunked
    by_id = {d.id_: d for d in docs}
    for node in nodes:
        doc = by_id[node.ref_doc_id]
        assert doc.text[node.start_char_idx:node.end_char_idx] == node.text
        for a, b in doc.metadata["exclude_spans"]:
            assert node.end_char_idx <= a or node.start_char_idx >= b
    news = [n for n in nodes if n.metadata["source"] == NEWS]
    assert news and not any("Finger on the Pulse" in n.text or "Female doctor" in n.text for n in news)
    assert any("Patricia Hewitt" in n.text for n in news)


def test_markdown_chunks_record_sections(chunked) -> None:
    _, nodes, _ = chunked
    md = [n for n in nodes if n.metadata["format"] == "md"]
    assert sum(1 for n in md if n.metadata["section"]) / len(md) > 0.8
    assert all(n.metadata["date_ord"] > 20240000 for n in md)
