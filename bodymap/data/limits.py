"""Limits on a user's data file: each keeps the work of loading, validating and drawing it bounded."""

# A data file larger than this is a mistake or an attack. 5 MB as Streamlit counts them (MiB): the
# app's uploader (server.maxUploadSize = 5 in .streamlit/config.toml) has the very same limit.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 50_000  # YAML/JSON values in one user file (1,000 entries of a point each need ~30,000)
MAX_ENTRIES = 1_000  # entries in one user file, over all its lists
MAX_SITES = 20  # location rules per acupoint or trigger point (the built-in maximum is 5)
MAX_TRIGGER_POINTS = 20  # trigger points per muscle (the built-in maximum is 3)
MAX_VERTICES = 100  # vertices per referral zone or muscle outline
MAX_AREAS = 20  # referral zones per muscle
MAX_MARKERS = 3_000  # markers the whole catalog (so the atlas) can draw, both sides counted (built-in: ~600)
# Markers one complaint's figure can draw (built-in: at most 82). With the layout's own bounds (a
# panel naming more than 48 marks gets stacked labels; a page's leader routing has a work budget,
# ROUTE_BUDGET in bodymap/layout/leaders.py) any file the limits accept draws in under 2 s of CPU:
# 1,000 marks in one panel ~0.3 s, the most crowded close-up found ~1.5 s (benchmarks/run.py).
MAX_COMPLAINT_MARKERS = 1_000
MAX_DEPTH = 100  # nesting of lists and mappings (a real file needs fewer than 10)
