package io.jointly.lr.training;

/** How {@link LogisticRegression} minimises the objective. */
public enum Optimizer {
  /**
   * Mini-batch proximal gradient descent: batches from a {@link BatchPlan}, step {@code w ←
   * soft(w − η·g, η·λ₁)} per batch, learning rate {@code η / (1 + decay·epoch)}. The protocol of
   * federated training maps one batch to one round trip.
   */
  MINI_BATCH_GD,
  /**
   * Full-batch L-BFGS (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithm 7.4,
   * two-loop recursion) with a backtracking Armijo line search; with {@code λ₁ > 0} it runs as
   * OWL-QN (Andrew &amp; Gao, "Scalable training of L1-regularized log-linear models", ICML 2007).
   * One iteration is one pass over the training rows plus any extra line-search evaluations.
   */
  LBFGS
}
