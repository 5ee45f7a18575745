/**
 * Federated statistics at scale: {@link io.jointly.bench.stats.StatsScale}, one run of PSI (bank
 * mode) and the Paillier-encrypted segment sums with 10^5 shared customers, both parties in one JVM
 * over the in-memory channel, each on its own named threads so that their CPU time can be told
 * apart. Synthetic identifiers and values only. Single-threaded driver; the protocols use their own
 * executors.
 */
package io.jointly.bench.stats;
