/**
 * What every private-set-intersection protocol of Jointly shares: identifiers and their
 * normalisation ({@link io.jointly.psi.IdentifierProfile}, {@link io.jointly.psi.ItemEncoder};
 * {@link io.jointly.psi.ProfileMatch} tells which profile a sample of raw values looks like, so a
 * caller can warn before matching phone numbers as raw text), roles and reveal modes ({@link
 * io.jointly.psi.PsiRole}, {@link io.jointly.psi.RevealMode}), the policies for invalid and
 * repeated identifiers, the in-memory input ({@link io.jointly.psi.PsiInput}), the result ({@link
 * io.jointly.psi.PsiResult}, {@link io.jointly.psi.RowIndexes}, {@link io.jointly.psi.PsiAlignment},
 * {@link io.jointly.psi.RunStats}) and progress ({@link io.jointly.psi.PsiListener}).
 *
 * <p>Where to look next: {@link io.jointly.psi.pipeline} (sources, prepared items, sinks, the memory
 * budget, work directory and checkpoints every protocol runs over) and the protocols, one package
 * each: {@link io.jointly.psi.ecdh} (ECDH PSI, the default).
 *
 * <p>Thread-safety: every type here is immutable or stateless.
 */
package io.jointly.psi;
