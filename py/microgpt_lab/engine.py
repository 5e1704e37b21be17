"""What a session asks of an engine: the interface both engines implement.

`scalar.py` (microgpt's own Value graph) and `vector.py` (lists of floats and
a tape) are modules with these three names; a session picks one by
config.engine and never asks anything else of it. Both take state_dict as
plain floats and give plain gradients back, so one optimizer serves both.
"""
from typing import Callable, NamedTuple, Protocol, runtime_checkable

from .config import Config
from .instrument import Stages


class StepResult(NamedTuple):
    """What one engine's forward + backward over a document gives the session."""

    loss: float  # the document's loss, (1 / n) * sum(losses), as the engine's own forward computes it
    losses: list  # (n,) per-position loss -log p(target)
    probs: list  # (n, vocab_size) next-token probabilities (when stages.detail asked for them)
    attention: list  # [layer][head][query pos] -> weights over key positions 0..pos (layers with attention)
    grads: dict  # matrix name -> d loss / d weight, flat in row-major order (as the optimizer keeps it)
    nodes: int | None = None  # scalar engine: Value nodes in the graph
    edges: int | None = None  # scalar engine: child links in the graph


@runtime_checkable
class Engine(Protocol):
    """An engine module. A session calls train_step once per training step; evaluate for the
    held-out loss; Decoder to sample and to probe the next token."""

    def train_step(self, state_dict: dict, tokens: list, config: Config, stages: Stages) -> StepResult:
        """Forward the document's first block_size positions to their mean loss, then backward to every
        weight's gradient. Stage times (and Value nodes) go to `stages`, stage by stage when
        stages.detail, else as the forward's and the backward's totals."""

    def evaluate(self, state_dict: dict, documents: list, config: Config) -> list:
        """Every position's loss over the documents (token lists), forward only: nothing is learned."""

    # Decoder(state_dict, config) is called with one token id at a time (BOS first) and returns
    # the logits of the token after it, keeping what it needs of the earlier ones.
    Decoder: Callable[[dict, Config], Callable[[int], list]]
