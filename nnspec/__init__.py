"""nnspec: deep learning from scratch, written as executable specifications.

The library follows the names of *Deep Learning from Scratch* (Saito Koki) so its readers feel at
home, with the book code's known defects fixed. It depends on NumPy (and tqdm, for progress bars).
"""

__version__ = "0.1.0"
