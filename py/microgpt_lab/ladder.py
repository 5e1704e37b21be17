"""The model ladder: microgpt built up a piece at a time, each rung a config of the one model.

Each rung adds one thing to the rung before it and says, in one plain
sentence, what and why. Every rung keeps Config's seed and num_steps, so the
rungs shuffle and start the same way and train on the same documents in the
same order: put side by side (the lab's Compare runs), their curves differ by
the model alone. This table is the one definition of the ladder: the schema
carries it to the page (its presets and "Train the whole ladder"), and the
engine tests train every rung.

Plain gradient descent needs a far larger learning rate than Adam. Measured
on the bundled names, 1,000 steps, the mean loss of steps 901-1000 at
learning rates 0.1, 0.3, 0.5 and 1: the learned bigram 2.402, 2.390, 2.394,
2.414; with an MLP 2.391, 2.377, 2.382, 2.407; one head 2.388, 2.374, 2.383,
and at 1 it blows up at step 19; four heads 2.388, 2.375, 2.376 (at
microgpt's 0.01 the learned bigram barely learns: 2.62). So the SGD rungs
take 0.3, the best for each, a safe step below where they blow up.
"""
from typing import NamedTuple

from .config import Config

SGD_LEARNING_RATE = 0.3


class Rung(NamedTuple):
    id: str
    name: str  # what it adds, in a few words: the name of its session
    adds: str  # what it adds and why, in one plain sentence
    config: dict  # the fields it sets apart from Config's defaults (never seed or num_steps: the same for all)


SGD = {"optimizer": "sgd", "learning_rate": SGD_LEARNING_RATE}

LADDER = (
    Rung("bigram", "learned bigram",
         "The smallest model: a character's embedding plus its position's goes through rmsnorm straight to lm_head, "
         "so it can learn only which character follows which (and where in the name), as counting pairs does, but "
         "by plain gradient descent.",
         {"n_layer": 0, **SGD}),
    Rung("mlp", "+ MLP",
         "A block with an MLP (the 16 numbers widened to 64, through relu, narrowed back and added to x) gives the "
         "model room to shape each guess, but it still sees nothing but its own character and position.",
         {"attention": False, **SGD}),
    Rung("one-head", "+ one attention head",
         "Attention lets each position take a weighted average of the earlier positions, so the guess can depend "
         "on the whole name so far, not only on the last character.",
         {"n_head": 1, **SGD}),
    Rung("four-heads", "four heads (microgpt with SGD)",
         "Four heads, each on 4 of the 16 numbers with its own weights over the earlier positions, can each look "
         "somewhere else: microgpt's own model, still trained by plain gradient descent.",
         dict(SGD)),
    Rung("adam", "+ Adam (microgpt)",
         "Adam moves each weight by a running average of its gradients divided by their running size, so every "
         "weight learns at a similar pace: microgpt exactly as written, its defaults.",
         {}),
)


def config(rung, **overrides):
    """The rung's Config (overrides: other fields, e.g. a smaller n_embd for a test)."""
    return Config(**{**rung.config, **overrides})


def as_json():
    """The ladder for the schema, rung by rung in order."""
    return [rung._asdict() for rung in LADDER]
