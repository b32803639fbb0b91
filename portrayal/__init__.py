"""portrayal: how news articles portray people, sentence by sentence.

    >>> from portrayal import Scorer
    >>> scorer = Scorer.from_dir("models/default")
    >>> result = scorer.score({"id": "a1", "text": "Elon Musk a déposé une offre. OpenAI l'a rejetée."})
    >>> result["summary"]["musk"]["stance"]

The result has a fixed shape, documented in the README: one object per article with its
sentences, each target's stance and mentions per sentence, sentiment, and a per-target summary.
"""
__version__ = "0.1.0"

from .errors import InputError, ModelArtifactError, PortrayalError  # noqa: E402
from .scoring import Scorer  # noqa: E402

__all__ = ["Scorer", "PortrayalError", "InputError", "ModelArtifactError", "__version__"]
