/**
 * Paillier's additively homomorphic encryption (P. Paillier, EUROCRYPT 1999), the engine under
 * federated logistic regression (a partner computes on the bank's encrypted residuals) and
 * federated statistics (sums of partner values over the intersection).
 *
 * <p>Entry types: {@link io.jointly.paillier.PaillierParameters} (presets {@code PAILLIER_2048},
 * {@code PAILLIER_3072}, FULL or DJN short-exponent randomness), {@link
 * io.jointly.paillier.PaillierKeyPair#generate}, {@link io.jointly.paillier.PaillierPublicKey}
 * (canonical encoding, validation of keys and ciphertexts received), {@link
 * io.jointly.paillier.PaillierSecretKey}, {@link io.jointly.paillier.PaillierEncryptor}
 * (encryption from a pool of precomputed randomness, homomorphic operations, Pippenger
 * multi-exponentiation), {@link io.jointly.paillier.PaillierDecryptor} (CRT decryption), {@link
 * io.jointly.paillier.PackedEncoding} (many fixed-point slots per plaintext, overflow impossible by
 * construction). Values are encoded with {@link io.jointly.core.FixedPoint}, the codec shared with
 * secure aggregation and LR.
 *
 * <p>Security model (semi-honest). The key holder (the bank, in Jointly's protocols) learns the
 * plaintext of every ciphertext it decrypts, and nothing else: for a homomorphic result that is the
 * result, not its operands, provided the party that computed it re-randomised it with FULL
 * randomness (see {@link io.jointly.paillier.PaillierParameters.Randomness} for why DJN randomness
 * does not hide the randomness from the key holder). Everyone else, including the party computing
 * on ciphertexts, learns nothing about plaintexts under the decisional composite residuosity
 * assumption (plus, in DJN mode, the short-exponent assumption stated there); they do learn the
 * number of ciphertexts and the key size. A public key received from a peer is checked for size,
 * parity, small factors, primality and squareness, not proven well formed; a ciphertext received
 * is checked to be a unit in {@code (0, n²)}. Arithmetic is on {@link java.math.BigInteger} and is
 * not constant-time: timing may reveal plaintext and scalar sizes to a co-located observer.
 *
 * <p>Thread-safety: keys, parameters, ciphertexts and encodings are immutable; {@link
 * io.jointly.paillier.PaillierEncryptor} and {@link io.jointly.paillier.PaillierDecryptor} are
 * thread-safe. Background work runs only on the executor the caller gives, never the common pool.
 */
package io.jointly.paillier;
