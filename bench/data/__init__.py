"""The labelled evaluation sets and the scripts that resolve them against ../shared/data."""
