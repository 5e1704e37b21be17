"""The engine describes itself: one JSON document the page reads instead of copying facts.

    python -m microgpt_lab schema [--output dist/schema.json]

Everything here is read from where it is defined: Config, FIELDS, LIMITS and CHOICES
(config.py), GLOSSARY (glossary.py), the model ladder (ladder.py), the levels, the BOS label,
the trace and checkpoint formats, the scalar engine's own source with each stage's lines in
it (source.py), and the path's exercises (lessons.py). A session's model (its matrices,
stages and optimizer) is not here: it depends on the config, and the engine describes it
per session (model.describe, in the trace header).
"""
from dataclasses import fields

from . import __version__, ladder, lessons, trace
from .config import CHOICES, FIELDS, LIMITS, MAX_PARAMS, MIN_INCLUDED, Config
from .data import BOS_LABEL
from .glossary import GLOSSARY
from .instrument import LEVELS
from .model import DESCRIPTION_VERSION
from .session import CHECKPOINT_FORMAT, CHECKPOINT_VERSION, HELD_OUT_DOCS, HELD_OUT_EVERY
from .source import source

FORMAT, VERSION = "microgpt-lab-schema", 1
TYPES = {int: "int", float: "float", str: "choice", bool: "bool"}


def schema():
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"microgpt_lab {__version__}",
        "config": [config_field(field) for field in fields(Config)],
        "max_params": MAX_PARAMS,
        "levels": list(LEVELS),
        "bos_label": BOS_LABEL,
        "glossary": [{**term._asdict(), "words": list(term.words)} for term in GLOSSARY],
        "ladder": ladder.as_json(),  # the rungs, in order: id, name, adds (a sentence), config (fields apart from the defaults)
        "trace": {"format": trace.FORMAT, "version": trace.VERSION},
        "checkpoint": {"format": CHECKPOINT_FORMAT, "version": CHECKPOINT_VERSION},
        "model": {"version": DESCRIPTION_VERSION},  # model.describe's: a record keeping an older one is described again
        "held_out": {"every": HELD_OUT_EVERY, "docs": HELD_OUT_DOCS},  # when and on how many the loss is measured
        "source": source(),
        "lessons": lessons.schema(),  # the exercises: signature, task, and the lines revealed after a try
    }


def config_field(field):
    """One form field: label, help, type, default and the engine's own range."""
    label, help = FIELDS[field.name]
    entry = {"name": field.name, "label": label, "help": help, "type": TYPES[field.type], "default": field.default}
    if field.type is str:
        return {**entry, "choices": list(CHOICES[field.name])}
    if field.type is bool:
        return entry
    low, high = LIMITS[field.name]
    if field.type is float:
        return {**entry, "min": low, "min_exclusive": field.name not in MIN_INCLUDED, "max": high}
    return {**entry, "min": low, "max": high}
