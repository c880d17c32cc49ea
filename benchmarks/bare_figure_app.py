"""The floor of the app's first figure: a bare Streamlit page that shows one SVG file and nothing else.

`streamlit run benchmarks/bare_figure_app.py -- figure.svg`; benchmarks/first_figure.py gives it
the very SVG the app showed, so the two pages differ only in what the app adds around it.
"""

import sys
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="bodymap", layout="wide")
# st.markdown, as the floor app of benchmarks/run.py shows it (st.html of this Streamlit left the page empty).
st.markdown(Path(sys.argv[1]).read_text(encoding="utf-8"), unsafe_allow_html=True)
