/**
 * Paillier micro-benchmarks: {@link io.jointly.bench.paillier.PaillierBenchmark} (encryption
 * pooled and unpooled, decryption, addition, scalar multiplication), {@link
 * io.jointly.bench.paillier.PaillierMultiExpBenchmark} (Σ kᵢ·[[xᵢ]]) and {@link
 * io.jointly.bench.paillier.PaillierKeygenBenchmark}, each beside {@link
 * io.jointly.bench.paillier.TextbookPaillier}, the textbook baseline measured in the same run.
 * Keys are generated per trial and never printed. One benchmark thread per state.
 */
package io.jointly.bench.paillier;
