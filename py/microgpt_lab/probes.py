"""What a learner can ask of a live model, between training steps.

A matrix of state_dict with its last gradient and Adam's state, a 2-D map of
the token embeddings, and the next-token distribution after any context.
All of it is read from the session; nothing here changes it.
"""
from itertools import chain

from .model import softmax
from .vector import dot, dots


class ProbeError(ValueError):
    """A question the model cannot answer as asked; the message says why."""


def matrix(session, name):
    """One matrix of state_dict, flat row-major: weights, last gradient, Adam's m and v (None with SGD),
    last update."""
    if name not in session.state_dict:
        raise ProbeError(f"no matrix {name!r}; state_dict has {', '.join(session.state_dict)}")
    mat, optimizer = session.state_dict[name], session.optimizer
    weights = list(chain.from_iterable(mat))
    before = optimizer.last_weights.get(name)
    buffers = optimizer.buffers(name)
    return {
        "name": name,
        "shape": [len(mat), len(mat[0])],
        "step": session.step_count,
        "weights": weights,
        "grads": optimizer.last_grads.get(name),  # None before the first step
        "m": buffers.get("m"),
        "v": buffers.get("v"),
        "update": [w - b for w, b in zip(weights, before)] if before else None,
    }


def embedding_map(session, iterations=60):
    """PCA of the token embeddings wte: two coordinates per token and the variance each axis explains.
    (Asked twice a second during a run: its dot products are the vector engine's, looped in C.)"""
    rows = session.state_dict["wte"]
    n, dim = len(rows), len(rows[0])
    mean = [sum(col) / n for col in zip(*rows)]
    centered = [[x - m for x, m in zip(row, mean)] for row in rows]
    columns = list(zip(*centered))
    cov = [[d / (n - 1) for d in dots(columns, ci)] for ci in columns]
    total = sum(cov[i][i] for i in range(dim)) or 1.0
    axes, variances = [], []
    for _ in range(min(2, dim)):
        axis = [1.0 / (i + 1) for i in range(dim)]  # deterministic start: the map does not flip at random
        for _ in range(iterations):  # power iteration on the deflated covariance
            axis = dots(cov, axis)
            norm = dot(axis, axis) ** 0.5 or 1.0
            axis = [a / norm for a in axis]
        if max(axis, key=abs) < 0:  # a fixed sign keeps the picture steady from step to step
            axis = [-a for a in axis]
        variance = dot(axis, dots(cov, axis))
        cov = [[c - variance * ai * aj for c, aj in zip(row, axis)] for row, ai in zip(cov, axis)]
        axes.append(axis)
        variances.append(variance)
    points = [dots(axes, row) for row in centered]
    return {
        "step": session.step_count,
        "labels": [session.tokenizer.label(i) for i in range(n)],
        "points": points,
        "explained": [v / total for v in variances],
    }


def next_token(session, context):
    """Probabilities of every next token after BOS + context (temperature 1)."""
    tokenizer, config = session.tokenizer, session.config
    unknown = sorted(set(context) - set(tokenizer.uchars))
    if unknown:
        raise ProbeError(f"the context has characters outside the vocabulary: {''.join(unknown)!r}")
    if len(context) >= config.block_size:
        raise ProbeError(f"the context must be shorter than block_size ({config.block_size} positions)")
    decoder = session.engine.Decoder(session.state_dict, config)
    for token_id in [tokenizer.BOS] + [tokenizer.index[ch] for ch in context]:
        logits = decoder(token_id)
    return {"step": session.step_count, "context": context, "probs": softmax(logits)}
