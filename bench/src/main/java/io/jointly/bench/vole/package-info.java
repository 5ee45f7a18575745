/**
 * JMH benchmarks of VOLE PSI's building blocks: base OT and IKNP extension ({@code
 * OtBenchmark}), the silent subfield VOLE ({@code VoleBenchmark}), OKVS encoding and decoding
 * ({@code OkvsBenchmark}) and GF(2^128) products ({@code Gf128Benchmark}). The end-to-end protocol
 * is in {@code io.jointly.bench.psi} ({@code VolePsiBenchmark}, {@code VolePsiScale}).
 */
package io.jointly.bench.vole;
