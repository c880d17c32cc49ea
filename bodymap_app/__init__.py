"""The Streamlit app's front-end pieces: the interactive figure component, point cards, safe text.

Not part of the `bodymap` library: `import bodymap` never imports this package or Streamlit.
"""
