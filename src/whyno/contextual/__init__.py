"""The contextual model: one fine-tuned encoder for every judgment whyno makes about words."""
