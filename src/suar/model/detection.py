"""The red-flag detector as the model sees it: findings whose risk is the flags' alone.

The model is trained on, and combined with, the risk of the red flags. Once
the engine itself combines the model into its findings, a detector built with
``use_model=False`` must still give the flag risk; before that, every
detector does.
"""

from __future__ import annotations

import inspect
from typing import Any

from suar.detect import Detector
from suar.errors import DataError
from suar.model.lure_model import Thresholds


def flag_detector(*, default_country: str | None = None) -> Detector:
    """A detector whose findings carry the red-flag risk and level, without the model."""
    options: dict[str, Any] = {"default_country": default_country}
    if "use_model" in inspect.signature(Detector).parameters:
        options["use_model"] = False
    return Detector(**options)


def scoring_thresholds() -> Thresholds:
    """The level thresholds of the scoring data file (``suar/detect/data/scoring.json``)."""
    from importlib import import_module

    # the loader has lived in scoring and in vocabulary: take it from where it is
    for name in ("suar.detect.vocabulary", "suar.detect.scoring"):
        loader: Any = getattr(import_module(name), "load_scoring", None)
        if loader is not None:
            found = loader().thresholds
            return Thresholds(low=found.low, medium=found.medium, high=found.high)
    raise DataError("the scoring data loader (load_scoring) was not found in suar.detect")


def flag_detector_version() -> str:
    """The version of the red-flag detector the model is trained against."""
    return flag_detector().version
