/**
 * Benchmarks of secure aggregation: {@link io.jointly.bench.secagg.PrgBenchmark} (the mask
 * generator: JCE AES-CTR against Bouncy Castle AES-CTR and ChaCha20), {@link
 * io.jointly.bench.secagg.SecureAggregationBenchmark} (end-to-end under JMH, small sizes) and
 * {@link io.jointly.bench.secagg.SecAggScale} (client and server CPU per 10^6 values at 50 and 200
 * clients). Benchmark code; no secrets of any real party. Not thread-safe beyond what JMH needs.
 */
package io.jointly.bench.secagg;
