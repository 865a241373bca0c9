"""Hopcroft-Karp maximum matching grown from a given matching (pure; numba compiles it).

One kernel for both users: the numba solver backend (a maximum matching of each problem it
solves, started from the last solve's pairs when it re-solves a grown arc set) and the
certified pruned solve (growing a pruned optimum into a maximum matching of the full graph).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Arr = NDArray[Any]


def grow(  # pragma: no cover - compiled by numba
    indptr: Arr, indices: Arr, n_left: int, n_right: int, mate_l: Arr, mate_r: Arr
) -> None:
    """Make the matching (mate_l, mate_r; -1 = free; updated in place) maximum: a greedy pass
    gives each free left vertex a free neighbour, then Hopcroft-Karp phases (breadth-first
    layers from the free left vertices, depth-first vertex-disjoint shortest augmenting
    paths). The given pairs stay unless an augmenting path re-routes them."""
    for x in range(n_left):
        if mate_l[x] != -1:
            continue
        for a in range(indptr[x], indptr[x + 1]):
            j = indices[a]
            if mate_r[j] == -1:
                mate_r[j] = x
                mate_l[x] = j
                break
    big = n_left + n_right + 10
    dist = np.empty(n_left, np.int64)
    queue = np.empty(n_left, np.int64)
    ptr = np.empty(n_left, np.int64)
    stack = np.empty(n_left + 1, np.int64)
    while True:
        qh = 0
        qt = 0
        for x in range(n_left):
            if mate_l[x] == -1:
                dist[x] = 0
                queue[qt] = x
                qt += 1
            else:
                dist[x] = big
        found = False
        while qh < qt:
            x = queue[qh]
            qh += 1
            for a in range(indptr[x], indptr[x + 1]):
                x2 = mate_r[indices[a]]
                if x2 == -1:
                    found = True
                elif dist[x2] == big:
                    dist[x2] = dist[x] + 1
                    queue[qt] = x2
                    qt += 1
        if not found:
            break
        for x in range(n_left):
            ptr[x] = indptr[x]
        for x0 in range(n_left):
            if mate_l[x0] != -1:
                continue
            top = 0
            stack[0] = x0
            while top >= 0:
                x = stack[top]
                advanced = False
                while ptr[x] < indptr[x + 1]:
                    j = indices[ptr[x]]
                    ptr[x] += 1
                    x2 = mate_r[j]
                    if x2 == -1:
                        # augment along the stack
                        while top >= 0:
                            lt = stack[top]
                            prev = mate_l[lt]
                            mate_l[lt] = j
                            mate_r[j] = lt
                            j = prev
                            top -= 1
                        advanced = True
                        break
                    if dist[x2] == dist[x] + 1:
                        top += 1
                        stack[top] = x2
                        advanced = True
                        break
                if not advanced:
                    dist[x] = big  # dead end for this phase
                    top -= 1
