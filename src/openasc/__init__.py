"""openasc: English adult social care performance from a council's own records."""

__version__ = "0.1.0"
