"""The hyperparameters of one microgpt run, checked before anything trains."""
import math
from dataclasses import asdict, dataclass, fields

ENGINES = ("vector", "scalar")

# What a browser tab can train at an interactive pace. The pure-Python engine
# costs about 1 microsecond per parameter per step natively and 2-3x that in
# Pyodide, so half a million parameters is already a few seconds per step.
MAX_PARAMS = 500_000
LIMITS = {  # field: (smallest, largest)
    "n_embd": (1, 256),
    "n_head": (1, 64),
    "n_layer": (1, 12),
    "block_size": (1, 256),
    "num_steps": (1, 1_000_000),
    "seed": (0, 2**53 - 1),  # exact in JavaScript numbers, so it survives the page
}
MAX_LEARNING_RATE = 1.0
MAX_TEMPERATURE = 10.0


class ConfigError(ValueError):
    """A configuration value out of its allowed range; the message names the field."""


@dataclass(frozen=True)
class Config:
    n_embd: int = 16  # embedding dimension
    n_head: int = 4  # attention heads; head_dim = n_embd // n_head
    n_layer: int = 1  # transformer blocks
    block_size: int = 16  # maximum context length (positions)
    learning_rate: float = 0.01  # Adam's initial rate, decayed linearly to 0
    num_steps: int = 1000  # length of the schedule (one document per step)
    temperature: float = 0.5  # default sampling temperature, in (0, 10]
    seed: int = 42  # seeds the one generator: shuffle -> init -> sampling
    engine: str = "vector"  # "vector" (fast floats) or "scalar" (microgpt's Value graph)

    def __post_init__(self):
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"{name} must be an integer from {low} to {high}, got {value!r}")
        if self.n_embd % self.n_head:
            raise ConfigError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        check_positive("learning_rate", self.learning_rate, MAX_LEARNING_RATE)
        check_positive("temperature", self.temperature, MAX_TEMPERATURE)
        if self.engine not in ENGINES:
            raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")

    @property
    def head_dim(self):
        return self.n_embd // self.n_head

    def num_params(self, vocab_size):
        n = self.n_embd
        return (2 * vocab_size + self.block_size) * n + self.n_layer * 12 * n * n

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


def check_positive(name, value, high):
    """A finite real number in (0, high]; integers are accepted (JSON writes 1.0 as 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 < value <= high:
        raise ConfigError(f"{name} must be a number greater than 0 and at most {high:g}, got {value!r}")
