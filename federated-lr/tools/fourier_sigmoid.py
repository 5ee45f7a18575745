#!/usr/bin/env python3
"""The coefficients of SharesSigmoid (io.jointly.lr.secretshared): least-squares sine series for sigma(z) - 1/2.

Run from the repository root:  python3 federated-lr/tools/fourier_sigmoid.py
(numpy 2.4.6 was used; any numpy with lstsq gives the same digits to about 1e-15).
SharesSigmoidTest recomputes both fits in Java (commons-math3) and checks the constants.

STANDARD: period 32, 8 terms, least squares of sigma(z) - 1/2 on the 240,001 points
          z = -12 + i*1e-4, i = 0..240000 (the fit interval [-12, 12] only).
WIDE:     period 128, 24 terms. Least squares on [-48, 48] alone is ill-conditioned
          (condition number 5e6; coefficients up to 2,139 in size, the series reaching
          +-15,000 outside the interval), so the fit runs over one whole period,
          the 131,072 points z = i/1024, i = -65536..65535, against the odd target
          t(z) = sigma(z) - 1/2 on [-48, 48] and, for 48 < |z| <= 64, the half-cosine taper
          t(z) = sign(z) * (sigma(48) - 1/2) * (1 + cos(pi*(|z| - 48)/16)) / 2,
          which is continuous with a continuous slope at |z| = 48 up to sigma'(48) ~ 1e-21.
          On a whole period's equally spaced points the sines are orthogonal, so each
          coefficient is a discrete Fourier sine coefficient (the fit is well-conditioned).
EXTRA_WIDE: period 256, 64 terms, fitted the same way over one whole period, the 131,072 points
          z = i/512, i = -65536..65535, against sigma(z) - 1/2 on [-96, 96] and, for
          96 < |z| <= 128, the half-cosine taper
          t(z) = sign(z) * (sigma(96) - 1/2) * (1 + cos(pi*(|z| - 96)/32)) / 2.
"""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def fit(z, target, period, terms):
    a = np.sin(2 * np.pi * np.outer(z, np.arange(1, terms + 1)) / period)
    beta, _, _, sv = np.linalg.lstsq(a, target, rcond=None)
    return beta, sv[0] / sv[-1]


def standard():
    z = -12 + np.arange(240_001) * 1e-4
    return fit(z, sigmoid(z) - 0.5, 32, 8)


def tapered_target(z, bound, half_period):
    t = sigmoid(z) - 0.5
    gap = np.abs(z) > bound
    edge = sigmoid(float(bound)) - 0.5
    t[gap] = np.sign(z[gap]) * edge * (1 + np.cos(np.pi * (np.abs(z[gap]) - bound) / (half_period - bound))) / 2
    return t


def wide_target(z):
    return tapered_target(z, 48, 64)


def wide():
    z = np.arange(-65_536, 65_536) / 1024.0
    return fit(z, wide_target(z), 128, 24)


def extra_wide():
    z = np.arange(-65_536, 65_536) / 512.0
    return fit(z, tapered_target(z, 96, 128), 256, 64)


def series(beta, period, z):
    k = np.arange(1, len(beta) + 1)
    return 0.5 + np.sin(2 * np.pi * np.outer(z, k) / period) @ beta


if __name__ == "__main__":
    for name, (beta, cond), period, bound in (
            ("STANDARD", standard(), 32, 12), ("WIDE", wide(), 128, 48), ("EXTRA_WIDE", extra_wide(), 256, 96)):
        print(f"{name}: condition number {cond:.3g}")
        for b in beta:
            print(f"    {float(b)!r},")
        zi = np.linspace(-bound, bound, 2 * bound * 1000 + 1)
        zp = np.linspace(-period / 2, period / 2, period * 1000 + 1)
        err = np.abs(series(beta, period, zi) - sigmoid(zi))
        v = series(beta, period, zp)
        print(f"  max error on [-{bound}, {bound}]: {err.max():.5f} (at z = {zi[err.argmax()]:.3f});"
              f" |z| >= 8: {err[np.abs(zi) >= 8].max():.5f}; range [{v.min():.5f}, {v.max():.5f}];"
              f" sum |beta| {np.abs(beta).sum():.4f}")
