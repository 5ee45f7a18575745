/**
 * Benchmark tooling: {@link io.jointly.bench.Report} renders JMH and native-baseline results as the
 * Markdown kept in {@code bench/README.md}. Reads result files only; no secrets. Single-threaded.
 */
package io.jointly.bench;
