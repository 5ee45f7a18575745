#!/usr/bin/env python3
"""Known-answer vectors for io.jointly.paillier, computed independently of the Java code.

Plain Python 3 integers only (pow with a negative exponent needs Python >= 3.8). Run from this
directory:  python3 paillier_kat.py > paillier-kat.json

Primes: p and q are the first primes (Miller-Rabin, 64 rounds with bases from SHA-256) at or
above 1024-bit numbers derived from SHA-256 of a fixed label, with the top two bits set, so n has
exactly 2048 bits. Randomness r_i likewise from SHA-256 of fixed labels. Everything follows the
textbook: g = n + 1, c = g^m * r^n mod n^2, decryption L(c^lambda mod n^2) * mu mod n; homomorphic
results are computed on the plaintexts and on the ciphertexts independently.
"""
import hashlib
import json
import math


def expand(label, bits):
    out = b""
    counter = 0
    while len(out) * 8 < bits:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return int.from_bytes(out, "big") >> (len(out) * 8 - bits)


def is_probable_prime(x, rounds=64):
    if x < 2:
        return False
    for sp in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if x % sp == 0:
            return x == sp
    d, s = x - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for i in range(rounds):
        a = 2 + expand(f"mr/{x}/{i}", x.bit_length() + 64) % (x - 3)
        y = pow(a, d, x)
        if y in (1, x - 1):
            continue
        for _ in range(s - 1):
            y = y * y % x
            if y == x - 1:
                break
        else:
            return False
    return True


def prime(label, bits):
    x = expand(label, bits) | (3 << (bits - 2)) | 1
    while not is_probable_prime(x):
        x += 2
    return x


def main():
    p = prime("jointly-paillier-kat-p", 1024)
    q = prime("jointly-paillier-kat-q", 1024)
    n = p * q
    n2 = n * n
    assert n.bit_length() == 2048 and math.gcd(n, (p - 1) * (q - 1)) == 1
    g = n + 1
    lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
    mu = pow((pow(g, lam, n2) - 1) // n, -1, n)

    def enc(m, r):
        return pow(g, m, n2) * pow(r, n, n2) % n2

    def dec(c):
        return (pow(c, lam, n2) - 1) // n * mu % n

    def rand(label):
        while True:
            r = expand(label, 2048) % n
            if r > 0 and math.gcd(r, n) == 1:
                return r
            label += "'"

    plain = [0, 1, 42, n - 1, n // 2, expand("m/5", 2040), n - 123456789, 2**63 - 1]
    cases = []
    for i, m in enumerate(plain):
        r = rand(f"r/{i}")
        c = enc(m, r)
        assert dec(c) == m
        cases.append({"m": hex(m), "r": hex(r), "c": hex(c)})
    cs = [int(x["c"], 16) for x in cases]

    a, b = cs[2], cs[6]
    ops = {
        "add": {"a": 2, "b": 6, "c": hex(a * b % n2), "m": hex((plain[2] + plain[6]) % n)},
        "subtract": {"a": 2, "b": 6, "c": hex(a * pow(b, -1, n2) % n2),
                     "m": hex((plain[2] - plain[6]) % n)},
        "negate": {"a": 5, "c": hex(pow(cs[5], -1, n2)), "m": hex(-plain[5] % n)},
    }
    scalars = []
    for k in (0, 1, -1, 3, -7, 2**31 - 1, -(2**31), 2**63 - 1, -(2**63)):
        base = cs[2] if k >= 0 else pow(cs[2], -1, n2)
        c = pow(base, abs(k), n2)
        assert dec(c) == plain[2] * k % n
        scalars.append({"index": 2, "k": k, "c": hex(c), "m": hex(plain[2] * k % n)})
    ks = [5, -3, 2**31 - 1, -(2**31), 0, 123456789, -1, 2**40 + 7]
    acc = 1
    for c, k in zip(cs, ks):
        acc = acc * (pow(c, k, n2) if k >= 0 else pow(pow(c, -1, n2), -k, n2)) % n2
    msum = sum(m * k for m, k in zip(plain, ks)) % n
    assert dec(acc) == msum
    print(json.dumps({
        "source": "psi-core/src/test/resources/paillier/paillier_kat.py (plain Python integers)",
        "p": hex(p), "q": hex(q), "n": hex(n),
        "encryptions": cases,
        "operations": ops,
        "scalar": scalars,
        "multiExp": {"k": ks, "c": hex(acc), "m": hex(msum)},
    }, indent=1))


if __name__ == "__main__":
    main()
