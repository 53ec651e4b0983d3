"""openasc: English adult social care performance from a council's own records."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The one place the version is written is pyproject.toml; the installed metadata has it.
    __version__ = version("openasc")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
