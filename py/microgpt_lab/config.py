"""The hyperparameters of one microgpt run, checked before anything trains."""
from dataclasses import asdict, dataclass, fields

from .model import num_params
from .optim import OPTIMIZERS

ENGINES = ("vector", "scalar")
CHOICES = {"engine": ENGINES, "optimizer": tuple(OPTIMIZERS)}  # a text field: the values it may take

# What a browser tab can train at an interactive pace. The pure-Python engine
# costs about 1 microsecond per parameter per step natively and 2-3x that in
# Pyodide, so half a million parameters is already a few seconds per step.
MAX_PARAMS = 500_000
MAX_SAMPLES = 1000  # the most names one sample request draws (a trace's batch holds no more)
# field: (smallest, largest); an int may equal either, a float must be above its smallest (one of MIN_INCLUDED may equal it)
LIMITS = {
    "n_embd": (1, 256),
    "n_head": (1, 64),
    "n_layer": (0, 12),
    "block_size": (1, 256),
    "learning_rate": (0, 1.0),
    "num_steps": (1, 1_000_000),
    # Sampling divides the logits by it (temperature**-1): above 0.001 that
    # stays finite, where 1e-310 overflowed sampling after the run had trained.
    "temperature": (0.001, 10.0),
    "seed": (0, 2**53 - 1),  # exact in JavaScript numbers, so it survives the page
    "held_out": (0, 0.5),
}
MIN_INCLUDED = {"held_out"}  # the float fields whose smallest value is allowed (held_out 0: off)

# What each field means, for the form, the command line and the schema (schema.py):
# field: (label, one plain sentence). Defaults are Config's, ranges LIMITS' or CHOICES'.
FIELDS = {
    "n_embd": ("Embedding size",
               "How many numbers stand for each token at each position: the width of every vector the model computes."),
    "n_head": ("Attention heads",
               "How many separate attention patterns each layer computes; each head works on n_embd / n_head of the numbers."),
    "n_layer": ("Layers",
                "How many transformer blocks (attention, then an MLP) are stacked one after the other; with 0, each "
                "token's embedding goes straight to lm_head: a bigram model that also knows the position."),
    "attention": ("Attention",
                  "Whether each block has its attention, the part that lets a position look back at the earlier ones; "
                  "off, a block is its MLP only, and the model sees nothing but its own token and position."),
    "block_size": ("Context length",
                   "The most positions the model sees at once; a longer document is cut to this many tokens."),
    "learning_rate": ("Learning rate",
                      "How large the optimizer's first steps are; the rate then falls in a straight line to 0 at the last step."),
    "optimizer": ("Optimizer",
                  "How each weight moves after a step: adam (microgpt's: a step from running averages of the gradient and "
                  "of its square) or sgd (plain gradient descent: minus the learning rate times the gradient)."),
    "num_steps": ("Steps",
                  "How many training steps the run has, one document each; the learning rate reaches 0 at the end."),
    "temperature": ("Temperature",
                    "How adventurous samples are: below 1 favours the likeliest next characters, above 1 takes more chances."),
    "seed": ("Seed",
             "The random seed: the same seed shuffles the documents and starts the weights the same way, so a run repeats exactly."),
    "held_out": ("Held-out share",
                 "The share of the documents kept out of training, to measure the loss on text the model never trains on "
                 "(held-out loss well above the training loss is overfitting); 0 trains on every document, as the original does."),
    "engine": ("Engine",
               "vector computes on lists of numbers and is fast; scalar builds microgpt's own graph, one Value per number, "
               "and is slow but shows that graph."),
}


class ConfigError(ValueError):
    """A configuration value out of its allowed range; the message names the field."""


@dataclass(frozen=True)
class Config:
    """microgpt's hyperparameters, in the form's order; FIELDS says what each one means."""

    n_embd: int = 16
    n_head: int = 4
    n_layer: int = 1  # 0: no blocks, the embeddings go straight to lm_head
    attention: bool = True  # False: each block is its MLP only
    block_size: int = 16
    learning_rate: float = 0.01
    optimizer: str = "adam"  # or "sgd", plain gradient descent
    num_steps: int = 1000
    temperature: float = 0.5
    seed: int = 42
    held_out: float = 0.0  # share of the documents kept out of training (0: none, as the original)
    engine: str = "vector"

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type is int:
                check_int(field.name, value)
            elif field.type is float:
                check_number(field.name, value)
            elif field.type is bool:
                if not isinstance(value, bool):
                    raise ConfigError(f"{field.name} must be true or false, got {value!r}")
            elif value not in CHOICES[field.name]:
                raise ConfigError(f"{field.name} must be one of {', '.join(CHOICES[field.name])}, got {value!r}")
        if self.has_heads and self.n_embd % self.n_head:
            raise ConfigError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")

    @property
    def head_dim(self):
        return self.n_embd // self.n_head

    @property
    def has_heads(self):
        """Whether the model has attention heads at all (n_head matters only then)."""
        return self.attention and self.n_layer > 0

    def num_params(self, vocab_size):
        return num_params(self, vocab_size)

    def check_size(self, vocab_size):
        """Refuse models too large to train in a browser tab."""
        count = self.num_params(vocab_size)
        if count > MAX_PARAMS:
            raise ConfigError(
                f"the model would have {count:,} parameters (vocabulary {vocab_size}); "
                f"the limit is {MAX_PARAMS:,}: lower n_embd, n_layer or block_size"
            )

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, values):
        """Build from JSON-like data, naming unknown fields instead of ignoring them."""
        if not isinstance(values, dict):
            raise ConfigError(f"config must be an object of fields, got {type(values).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"unknown config field(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**values)


def check_int(name, value):
    """An integer within LIMITS[name] (True and 16.0 are not integers here)."""
    low, high = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{name} must be an integer from {low} to {high}, got {value!r}")


def check_number(name, value):
    """A real number in LIMITS[name] = (low, high], i.e. above low, or [low, high] for a field of
    MIN_INCLUDED; integers are accepted (JSON writes 1.0 as 1). The comparisons alone refuse NaN,
    infinities and integers too large for a float (math.isfinite(10**400) would raise)."""
    low, high = LIMITS[name]
    included = name in MIN_INCLUDED
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not (low <= value if included else low < value) or not value <= high):
        smallest = f"at least {low:g}" if included else f"greater than {low:g}"
        raise ConfigError(f"{name} must be a number {smallest} and at most {high:g}, got {value!r}")
