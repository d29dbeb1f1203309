"""Datasets: MNIST from IDX files."""

from .idx import parse_idx, read_idx

__all__ = ["read_idx", "parse_idx"]
