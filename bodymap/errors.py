"""The errors bodymap raises on purpose: each carries a one-line message meant for a person."""


class BodymapError(Exception):
    """Base class: anything the user can fix by changing their input."""


class DataError(BodymapError, ValueError):
    """A data or figure file is malformed; the message names the file, the entry and the field."""


class UnknownComplaintError(BodymapError, KeyError):
    """A complaint id that the catalog does not know."""

    def __str__(self) -> str:  # KeyError would otherwise wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class OptionError(BodymapError, ValueError):
    """An overlay, view, side or format name that is not one of the valid choices."""
