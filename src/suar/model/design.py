"""Design matrices for fitting the lure model: the same numbers :class:`LureModel` computes per post.

Only training and evaluation build matrices; scanning scores one post at a
time without them (:meth:`suar.model.lure_model.LureModel.raw_score`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from suar.domain import Finding
from suar.model.features import TextHashing, finding_features, ngram_counts

FloatArray = npt.NDArray[np.float64]


def count_matrix(texts: Sequence[str], hashing: TextHashing) -> sp.csr_matrix:
    """Occurrences of every hashed unit in every text (rows follow ``texts``)."""
    indptr = [0]
    columns: list[npt.NDArray[np.int64]] = []
    counts: list[FloatArray] = []
    for text in texts:
        cols, cnts = ngram_counts(text, hashing)
        columns.append(cols)
        counts.append(cnts)
        indptr.append(indptr[-1] + len(cols))
    data = np.concatenate(counts) if counts else np.zeros(0)
    indices = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    return sp.csr_matrix(
        (data, indices, np.asarray(indptr, dtype=np.int64)),
        shape=(len(texts), hashing.n_features),
    )


def idf_weights(counts: sp.csr_matrix, hashing: TextHashing, char_weight: float) -> FloatArray:
    """Smoothed inverse document frequency of each column, character columns times ``char_weight``.

    ``idf = ln((1 + n) / (1 + df)) + 1`` as in scikit-learn; a column no
    document hit gets the largest value, which is harmless since its
    coefficient stays zero.
    """
    n_docs = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    idf: FloatArray = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    idf[: 1 << (hashing.bits - 1)] *= char_weight
    return idf


def text_design(counts: sp.csr_matrix, idf: FloatArray) -> sp.csr_matrix:
    """Rows ``c_j idf_j / sqrt(sum_j c_j idf_j^2)``: tf-idf normalised by occurrences."""
    counts = counts.tocsr()
    column_idf = idf[counts.indices]
    if counts.shape[0] == 0:
        return counts.astype(np.float64)
    # a trailing 0 lets reduceat start an empty last row past the end of the data
    squares = np.append(counts.data * column_idf * column_idf, 0.0)
    norms = np.sqrt(np.add.reduceat(squares, counts.indptr[:-1]))
    lengths = np.diff(counts.indptr)
    norms[lengths == 0] = 1.0  # reduceat gives an empty row the next value: ignore it
    norms[norms == 0] = 1.0
    data = counts.data * column_idf / np.repeat(norms, lengths)
    return sp.csr_matrix((data, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)


def finding_matrix(findings: Sequence[Finding], flag_codes: Sequence[str]) -> FloatArray:
    """The dense finding features of every finding (rows follow ``findings``)."""
    if not findings:
        return np.zeros((0, 0))
    return np.vstack([finding_features(f, flag_codes) for f in findings])


def design(
    counts: sp.csr_matrix, idf: FloatArray, dense: FloatArray, finding_scale: float
) -> sp.csr_matrix:
    """The full design matrix: text columns, then the finding features times ``finding_scale``."""
    return sp.hstack([text_design(counts, idf), sp.csr_matrix(dense * finding_scale)]).tocsr()
