/**
 * Transport benchmarks: one-way message throughput of the in-memory channel and of loopback gRPC
 * (plaintext and mutual TLS). Synthetic zero payloads; no secrets. The benchmark method drives one
 * sender and one receiver thread.
 */
package io.jointly.bench.transport;
