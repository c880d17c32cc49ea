"""Backends that draw the draw list: svgwrite for SVG, matplotlib for PNG and PDF."""
