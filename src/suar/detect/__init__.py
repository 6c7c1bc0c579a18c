"""Detection: language, indicators, red flags and risk. Pure functions, no I/O."""

from suar.detect.engine import Detector
from suar.detect.hints import Hints
from suar.detect.normalize import NormalizedText, normalize

__all__ = ["Detector", "Hints", "NormalizedText", "normalize"]
