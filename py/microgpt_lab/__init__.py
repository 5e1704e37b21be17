"""microgpt_lab: Karpathy's microgpt, faithful to its numbers and instrumented for the lab."""
from .config import Config, ConfigError
from .data import DataError
from .session import Session, SessionError

__version__ = "0.1.0"
__all__ = ["Config", "ConfigError", "DataError", "Session", "SessionError", "__version__"]
