"""Reading and writing the catalog of no's: hand entry, queries, stats, export."""
