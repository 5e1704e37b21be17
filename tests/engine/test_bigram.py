"""Session.bigram: the counting bigram of the training documents, against a count made here independently."""
import json
import math
from collections import Counter

from microgpt_lab import Config, Session, worker


def independent(docs, block_size):
    """Pair counts and the doc-weighted loss, straight from the text: BOS is "^" on both sides of a document."""
    pairs = Counter()
    scored = []
    for doc in docs:
        text = "^" + doc + "^"
        n = min(block_size, len(text) - 1)
        scored.append([(text[i], text[i + 1]) for i in range(n)])
        pairs.update(scored[-1])
    firsts = Counter()
    for (a, _), c in pairs.items():
        firsts[a] += c
    p = lambda a, b: pairs[a, b] / firsts[a]
    return pairs, math.fsum(math.fsum(-math.log(p(a, b)) for a, b in doc) / len(doc) for doc in scored) / len(scored)


def test_the_loss_of_counting_the_names(names_text):
    session = Session.from_text(Config(), names_text)
    counted = session.bigram()
    pairs, loss = independent(session.docs, 16)
    assert abs(counted["loss"] - loss) < 1e-12
    assert abs(counted["loss"] - 2.460874408122155) < 1e-12  # issue 20's figure
    assert counted["num_docs"] == len(session.docs) and counted["positions"] == sum(pairs.values())
    assert counted["held_out"] is None
    label = session.tokenizer.label
    seen = {}
    for token, row in enumerate(counted["rows"]):
        assert row["total"] == sum(row["counts"]) and abs(math.fsum(row["probs"]) - 1) < 1e-12
        for next_token, c, p in zip(row["next"], row["counts"], row["probs"]):
            assert p == c / row["total"]
            seen[label(token).replace("BOS", "^"), label(next_token).replace("BOS", "^")] = c
    assert seen == dict(pairs)
    assert session.bigram() is counted  # counted once
    json.dumps(counted, allow_nan=False)


def test_only_the_positions_a_step_scores_count():
    session = Session(Config(block_size=2, n_embd=8, n_head=2), ["abcd", "bd"])
    counted = session.bigram()
    pairs, loss = independent(session.docs, 2)
    assert set(pairs) == {("^", "a"), ("a", "b"), ("^", "b"), ("b", "d")}  # "abcd" is cut after two positions
    assert counted["positions"] == 4 and abs(counted["loss"] - loss) < 1e-12
    assert abs(counted["loss"] - (math.log(2) + 0) / 2) < 1e-12  # ^a and ^b halve; a->b, b->d are certain


def test_held_out_documents_get_an_add_one_loss_and_their_unseen_share():
    docs = ["ab", "ab", "ab", "ba"]
    session = Session(Config(held_out=0.25, n_embd=8, n_head=2), docs)
    held = session.bigram()["held_out"]
    assert session.held_out_docs and held["num_docs"] == 1
    train = Counter(pair for doc in session.docs for pair in zip("^" + doc, doc + "^"))
    firsts = Counter()
    for (a, _), c in train.items():
        firsts[a] += c
    pairs = list(zip("^" + session.held_out_docs[0], session.held_out_docs[0] + "^"))
    vocab_size = 3
    expected = sum(-math.log((train[pair] + 1) / (firsts[pair[0]] + vocab_size)) for pair in pairs) / len(pairs)
    assert abs(held["loss"] - expected) < 1e-12 and held["positions"] == len(pairs)
    assert held["unseen"] == sum(train[pair] == 0 for pair in pairs) / len(pairs)


def test_the_worker_answers_bigram():
    worker.call("open", json.dumps({"session": "b", "config": {"n_embd": 8, "n_head": 2}, "text": "emma\nava\n"}))
    answer = json.loads(worker.call("bigram", json.dumps({"session": "b"})))
    assert answer == json.loads(json.dumps(worker.sessions["b"].bigram()))
    worker.call("close", '{"session": "b"}')


def test_a_config_and_its_data_count_as_its_session_does():
    """count_bigram: the bigram of a session not open in the worker (held-out split and all); an old config
    without the ladder's fields is the default model's."""
    text = "emma\nava\nolivia\nmia\nzoe\nisabella\n"
    config = {"n_embd": 8, "n_head": 2, "held_out": 0.3, "seed": 7}
    counted = json.loads(worker.call("count_bigram", json.dumps({"config": config, "text": text})))
    session = Session.from_text(Config(**config), text)
    assert counted == json.loads(json.dumps(session.bigram())) and counted["held_out"]["num_docs"] == 2
    assert "error" in json.loads(worker.call("count_bigram", json.dumps({"config": {"n_embd": 0}, "text": text})))
