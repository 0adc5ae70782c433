"""Go for the no: the honest pre-call brief from a product profile."""
