"""The model itself, with no I/O: the vocabulary of actors and parameters, distributions, the split."""
