"""Come back when it makes sense, or never: revisit dates, gap closed, consent, pipeline."""
