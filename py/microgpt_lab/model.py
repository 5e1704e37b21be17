"""The model's parameters: names, shapes and the exact initialisation order of microgpt.

Weights live in `state_dict`: matrix name -> list of rows of floats. Both
autograd engines read the same state_dict, so one Adam updates either.
"""
import math
from typing import NamedTuple

INIT_STD = 0.08


def matrix_shapes(config, vocab_size):
    """(name, n_out, n_in) in microgpt's order; the flat parameter list follows it."""
    n = config.n_embd
    shapes = [("wte", vocab_size, n), ("wpe", config.block_size, n), ("lm_head", vocab_size, n)]
    for i in range(config.n_layer):
        shapes += [
            (f"layer{i}.attn_wq", n, n),
            (f"layer{i}.attn_wk", n, n),
            (f"layer{i}.attn_wv", n, n),
            (f"layer{i}.attn_wo", n, n),
            (f"layer{i}.mlp_fc1", 4 * n, n),
            (f"layer{i}.mlp_fc2", n, 4 * n),
        ]
    return shapes


def init_state_dict(config, vocab_size, rng):
    """Every weight ~ gauss(0, 0.08), row by row, matrices in microgpt's order."""
    return {
        name: [[rng.gauss(0, INIT_STD) for _ in range(n_in)] for _ in range(n_out)]
        for name, n_out, n_in in matrix_shapes(config, vocab_size)
    }


def softmax(logits):
    """microgpt's softmax on floats: subtract the max, exp, multiply by 1/total."""
    max_val = max(logits)
    exps = [math.exp(val - max_val) for val in logits]
    inv_total = sum(exps) ** -1
    return [e * inv_total for e in exps]


class StepResult(NamedTuple):
    """What one engine's forward + backward over a document gives the session."""

    losses: list  # (n,) per-position loss -log p(target)
    probs: list  # (n, vocab_size) next-token probabilities
    attention: list  # [layer][head][query pos] -> weights over key positions 0..pos
    grads: dict  # matrix name -> d loss / d weight, flat in row-major order (as Adam keeps it)
    nodes: int | None = None  # scalar engine: Value nodes in the graph
    edges: int | None = None  # scalar engine: child links in the graph
