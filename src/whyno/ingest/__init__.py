"""Getting no's in: CRM exports (and, later, transcripts)."""
