/**
 * Micro-benchmarks of the group suites' hot path (hash-to-group, first and second PSI pass).
 * Random scalars per trial, never printed. One benchmark thread per state.
 */
package io.jointly.bench.group;
