package io.jointly.bench.psi;

import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic PSI inputs: two sets of {@code n} mainland-mobile-like identifiers each, of which
 * {@code shared} are common. Deterministic in {@code n} and {@code shared}, so runs compare.
 */
public final class PsiWorkload {
  /** The bank's identifiers. */
  public final List<String> bank;

  /** The partner's identifiers. */
  public final List<String> partner;

  private PsiWorkload(List<String> bank, List<String> partner) {
    this.bank = bank;
    this.partner = partner;
  }

  /** Sets of {@code n} items each, the first {@code shared} common to both. */
  public static PsiWorkload of(int n, int shared) {
    if (shared > n) {
      throw new IllegalArgumentException("shared > n");
    }
    List<String> bank = new ArrayList<>(n);
    List<String> partner = new ArrayList<>(n);
    for (int i = 0; i < shared; i++) {
      String id = phone(i);
      bank.add(id);
      partner.add(id);
    }
    for (int i = shared; i < n; i++) {
      bank.add(phone(i));
      partner.add(phone(n + i));
    }
    return new PsiWorkload(bank, partner);
  }

  /** The i-th synthetic 11-digit mobile number starting with 13x–18x. */
  static String phone(int i) {
    long v = 13_000_000_000L + (i * 2_654_435_761L % 5_999_999_999L);
    return Long.toString(v);
  }
}
