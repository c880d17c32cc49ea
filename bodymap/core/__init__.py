"""The base: errors, where the assets live, and the theme (every colour, symbol and size defined once)."""
