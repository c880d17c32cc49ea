"""Where things go: text metrics, the page layout, label placement and setting marks apart."""
