"""What is estimated: likelihoods (distribution families, GLMs, neural networks)."""
