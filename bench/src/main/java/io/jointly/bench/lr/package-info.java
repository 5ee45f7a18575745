/**
 * Vertical federated logistic regression benchmarks: {@link io.jointly.bench.lr.LrDataSets} (the
 * acceptance runs on the shared data sets against centralised training, with time, CPU and bytes
 * per epoch) and {@link io.jointly.bench.lr.VerticalLrBenchmark} (JMH, one training epoch on
 * synthetic data). Both parties run in one JVM over the in-memory channel, each on its own named
 * threads so that their CPU time can be told apart. Public data and synthetic values only; the
 * probes read round keys and payload sizes, never payloads or keys. Single-threaded drivers; the
 * protocols use their own executors.
 */
package io.jointly.bench.lr;
