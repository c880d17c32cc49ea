"""The words every layer shares: therapies, layers, views, sides, placements and modes, with their labels and link ids.

Each is a `str` Enum whose value is the id used in the data, the JSON scene, the CLI and the SVG,
so `Layer.ACUPUNCTURE == "acupuncture"` and existing string callers keep working. The labels are
what the app shows; the link id is the key or value the app's URL uses (stable when a label is reworded).
"""

from __future__ import annotations

from enum import Enum


class Term(str, Enum):
    """One word of the vocabulary; subclasses fill `_labels` and, where the URL differs, `_link_ids`."""

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def link_id(self) -> str:
        return _LINK_IDS.get(self, self.value)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)


class Therapy(Term):
    DRY_NEEDLING = "dry-needling"
    ACUPUNCTURE = "acupuncture"


class Layer(Term):
    """The overlays, in the order the CLI and the app list them."""

    DRY_NEEDLING = "dry-needling"
    ACUPUNCTURE = "acupuncture"
    REFERRAL_ZONES = "referral-zones"
    MERIDIANS = "meridians"
    LABELS = "labels"
    DANGER_ZONES = "danger-zones"
    PREGNANCY_CAUTIONS = "pregnancy-cautions"

    @property
    def help(self) -> str:
        return _LAYER_HELP[self]


class View(Term):
    AUTO = "auto"
    BOTH = "both"
    POSTERIOR = "posterior"
    ANTERIOR = "anterior"
    LATERAL = "lateral"
    ALL = "all"


class Side(Term):
    """The affected side a reader chooses (a marker's own side may also be "midline")."""

    BOTH = "both"
    LEFT = "left"
    RIGHT = "right"


class Placement(Term):
    """Where an acupuncture point sits relative to the pain."""

    LOCAL = "local"
    DISTAL = "distal"


class Mode(Term):
    """How the app shows a complaint."""

    OVERLAY = "overlay"
    SIDE_BY_SIDE = "side-by-side"
    ATLAS = "atlas"


_LABELS: dict[Term, str] = {
    Therapy.DRY_NEEDLING: "Dry needling", Therapy.ACUPUNCTURE: "Acupuncture",
    Layer.DRY_NEEDLING: "Dry needling", Layer.ACUPUNCTURE: "Acupuncture", Layer.REFERRAL_ZONES: "Referral zones",
    Layer.MERIDIANS: "Meridians", Layer.LABELS: "Labels", Layer.DANGER_ZONES: "Danger zones",
    Layer.PREGNANCY_CAUTIONS: "Pregnancy cautions",
    View.AUTO: "Best fit", View.BOTH: "Back and front", View.POSTERIOR: "Back", View.ANTERIOR: "Front",
    View.LATERAL: "Side", View.ALL: "All three",
    Side.BOTH: "Both", Side.LEFT: "Left", Side.RIGHT: "Right",
    Placement.LOCAL: "Local", Placement.DISTAL: "Distal",
    Mode.OVERLAY: "Overlay", Mode.SIDE_BY_SIDE: "Side by side", Mode.ATLAS: "Atlas",
}
# The app's URL keys for the two therapy layers are short; every other term is its own id.
_LINK_IDS: dict[Term, str] = {Layer.DRY_NEEDLING: "dn", Layer.ACUPUNCTURE: "acu"}
_LAYER_HELP = {
    Layer.DRY_NEEDLING: "Trigger points in the painful muscles (vermillion diamonds)",
    Layer.ACUPUNCTURE: "Acupoints near and far from the pain (blue circles; rings are distal)",
    Layer.REFERRAL_ZONES: "Where each trigger point sends its pain",
    Layer.MERIDIANS: "The channels the acupoints lie on",
    Layer.LABELS: "Point codes and muscle names",
    Layer.DANGER_ZONES: "Regions that need particular care when needling",
    Layer.PREGNANCY_CAUTIONS: "Points traditionally avoided in pregnancy",
}
DEFAULT_LAYERS = (Layer.DRY_NEEDLING, Layer.ACUPUNCTURE, Layer.LABELS)
