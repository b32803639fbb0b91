"""One root exception for the package, with the two kinds callers must tell apart."""


class PortrayalError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(PortrayalError):
    """The caller's input is wrong; `field` names the offending part (for HTTP 4xx)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ModelArtifactError(PortrayalError):
    """A model directory is missing, corrupt, or was built with other library versions."""
