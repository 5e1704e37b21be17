"""The counting bigram: the model that learns nothing but how often each token follows each other one.

It is the first rung of the model ladder and the line a trained microgpt must
cross to have learned more than pairs of characters. It counts the (token,
next token) pairs at exactly the positions a training step scores (the first
min(block_size, len(tokens) - 1) of each document, BOS first and last) and
predicts p(next | token) = count(token, next) / count(token, anything).

Its loss is measured as the lab measures the model's, so the lines can be
compared: on the training documents, the mean over documents of the mean over
each one's positions (a step's loss is one document's mean); on the held-out
documents, the mean over the positions of the same documents the model's
held-out loss uses. A held-out pair never seen in training has probability 0
under the counts, an infinite loss no chart can draw: the held-out loss uses
add-one smoothing (every pair counted once more than it was seen, so an unseen
pair gets a small probability), and says what share of the held-out positions
were unseen pairs.
"""
import math


def scored_pairs(tokens, block_size):
    """The (token, next token) pairs a training step scores in one document."""
    n = min(block_size, len(tokens) - 1)
    return zip(tokens[:n], tokens[1 : n + 1])


def count(documents, vocab_size, block_size):
    """counts[token][next]: how often each pair occurs at the scored positions of the documents (token lists)."""
    counts = [[0] * vocab_size for _ in range(vocab_size)]
    for tokens in documents:
        for token, next_token in scored_pairs(tokens, block_size):
            counts[token][next_token] += 1
    return counts


def bigram(train, held_out, vocab_size, block_size):
    """The counting bigram of the training documents (token lists) and its losses, JSON-ready:

    {"rows": [{"total": pairs starting with this token, "next": [next token ids seen after it],
               "counts": [how often each], "probs": [count / total]}] (one per token id, in order),
     "loss": mean over training documents of their mean -ln p(next | token), in nats,
     "num_docs": training documents, "positions": scored positions in them,
     "held_out": None, or {"loss": add-one smoothed, mean over the positions, "unseen": the share of those
                           positions whose pair never occurs in training, "num_docs", "positions"}}
    """
    counts = count(train, vocab_size, block_size)
    totals = [sum(row) for row in counts]
    rows = []
    for row, total in zip(counts, totals):
        seen = [next_token for next_token, c in enumerate(row) if c]
        rows.append({"total": total, "next": seen, "counts": [row[j] for j in seen],
                     "probs": [row[j] / total for j in seen]})

    def nll(token, next_token):  # a pair of a training document: counted, so p > 0
        return -math.log(counts[token][next_token] / totals[token])

    per_document = []
    for tokens in train:
        losses = [nll(token, next_token) for token, next_token in scored_pairs(tokens, block_size)]
        per_document.append(sum(losses) / len(losses))
    result = {"rows": rows, "loss": sum(per_document) / len(per_document), "num_docs": len(train),
              "positions": sum(totals), "held_out": None}
    if held_out:
        pairs = [pair for tokens in held_out for pair in scored_pairs(tokens, block_size)]
        smoothed = [-math.log((counts[a][b] + 1) / (totals[a] + vocab_size)) for a, b in pairs]
        result["held_out"] = {"loss": sum(smoothed) / len(smoothed),
                              "unseen": sum(counts[a][b] == 0 for a, b in pairs) / len(pairs),
                              "num_docs": len(held_out), "positions": len(pairs)}
    return result
