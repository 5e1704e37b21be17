"""Documents and the tokenizer, as microgpt builds them."""
import math

import pytest

from microgpt_lab import Config, DataError, Session
from microgpt_lab.data import Tokenizer, clean_docs, fingerprint, split_docs


@pytest.mark.parametrize("docs", [[], ["", "  ", "\t"]])
def test_empty_dataset(docs):
    with pytest.raises(DataError, match="no documents"):
        Session(Config(), docs)


def test_text_splitting_matches_the_original():
    text = "emma\r\nolivia\n\n  ava  \rmia\n"
    assert Session.from_text(Config(), text).file_docs == ["emma", "olivia", "ava", "mia"]


def test_unicode_documents_train():
    session = Session(Config(n_embd=8, n_head=2), ["zoë", "chloé", "😀smile", "naïve"])
    assert "😀" in session.vocab
    assert math.isfinite(session.step()["loss"])




def test_tokens_are_sorted_characters_then_bos():
    tokenizer = Tokenizer(["ava", "emma"])
    assert tokenizer.uchars == ["a", "e", "m", "v"] and tokenizer.BOS == 4 and tokenizer.vocab_size == 5
    assert tokenizer.encode("emma") == [4, 1, 2, 2, 0, 4]
    assert tokenizer.decode([4, 1, 2, 2, 0, 4]) == "emma"
    assert [tokenizer.label(i) for i in (0, 4)] == ["a", "BOS"]


def test_docs_are_cleaned_and_fingerprinted_in_file_order():
    assert split_docs("a\r\nb\rc\n") == ["a", "b", "c"]
    with pytest.raises(DataError, match="list of strings"):
        clean_docs("emma\nava")
    assert fingerprint(["emma", "ava"]) != fingerprint(["ava", "emma"])
    assert len(fingerprint(["emma"])) == 64
