"""Training entry point: `python -m train` is `stance train` (see portrayal.training)."""
