"""What changed and what to change: reason shares over time, shifts, gaps, recommendations."""
