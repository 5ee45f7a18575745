/**
 * End-to-end PSI benchmarks: {@link io.jointly.bench.psi.PsiBenchmark} (JMH, sizes as
 * parameters, bytes as auxiliary counters) and {@link io.jointly.bench.psi.PsiScale} (one 2^20 ×
 * 2^20 run). Synthetic identifiers only; no secrets are kept. Single-threaded drivers; the
 * protocols use their own executors.
 */
package io.jointly.bench.psi;
