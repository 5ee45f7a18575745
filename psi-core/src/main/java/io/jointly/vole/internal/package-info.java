/**
 * Internals of the silent VOLE: the GGM forest of punctured pseudorandom functions ({@link
 * io.jointly.vole.internal.GgmForest}) and the expand-accumulate code ({@link
 * io.jointly.vole.internal.ExpandAccumulate}). Not an API: used by {@link
 * io.jointly.vole.SilentVole} only.
 *
 * <p>Security model: see {@link io.jointly.vole.SilentVole}. Thread-safety: stateless helpers over
 * caller-owned arrays, confined to the caller's thread.
 */
package io.jointly.vole.internal;
