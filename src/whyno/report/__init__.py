"""The report: one self-contained HTML file (inline CSS and SVG, no network)."""
