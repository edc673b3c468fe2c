"""Priors as penalties: L1 (Laplace), L2 (Gaussian), elastic net; paths and cross-validation."""
