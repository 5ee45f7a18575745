/**
 * Symmetric-key building blocks shared by oblivious transfer ({@code io.jointly.ot}), VOLE ({@code
 * io.jointly.vole}), the OKVS ({@code io.jointly.okvs}) and VOLE PSI: arrays of 128-bit blocks
 * ({@link io.jointly.symmetric.Blocks}), AES-128 with a public key used as a random permutation π
 * and the hashes built from it ({@link io.jointly.symmetric.FixedKeyAes}), and an AES-CTR
 * pseudorandom generator ({@link io.jointly.symmetric.AesPrg}).
 *
 * <p>AES runs through the JDK's provider ({@code AES/ECB/NoPadding}, {@code AES/CTR/NoPadding}),
 * which HotSpot compiles to AES-NI instructions on x86-64; batching many blocks into one call is
 * what makes it fast.
 *
 * <p>Security model: {@code FixedKeyAes} with a public key is modelled as an ideal random permutation
 * (Guo, Katz, Wang, Yu, "Efficient and Secure Multiparty Computation from Fixed-Key Block Ciphers",
 * IEEE S&amp;P 2020); every hash built on it names the property it is used for. {@code AesPrg} keyed
 * by a secret uniform seed is a PRG under the usual PRP assumption on AES. No class here holds a
 * secret beyond the caller's own buffers and, for {@code AesPrg}, its key.
 *
 * <p>Thread-safety: {@code Blocks} is stateless. {@code FixedKeyAes} and {@code AesPrg} wrap a
 * {@link javax.crypto.Cipher} and are confined to one thread; create one per thread.
 */
package io.jointly.symmetric;
