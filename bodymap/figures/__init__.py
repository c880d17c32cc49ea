"""The body figures: panels and landmarks, placing points by proportional cun, curves."""
