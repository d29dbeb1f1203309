"""Named tolerances. Each says why it has the size it has; a spec may define a tighter one locally."""

import numpy as np

EPS64 = float(np.finfo(np.float64).eps)  # 2.22e-16, the spacing of float64 near 1

# A sum of n float64 numbers in [0, 1] is off from its exact value by at most about n·eps;
# specs sum at most a few hundred terms, so 1e-12 leaves a wide margin and still catches any real bug.
SUM_TOL = 1e-12

# Two float64 computations of the same formula by different routes (a loop vs a matrix product,
# σ(-x) vs 1 - σ(x)) differ by a few ulps of the result.
ROUTE_TOL = 1e-12

# Comparing with printed book values given to 8 significant digits.
BOOK_TOL = 1e-8
