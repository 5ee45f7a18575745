package io.jointly.cli;

import io.jointly.psi.PsiRole;

/**
 * A text of the JSON and HTML reports in English and in Chinese (简体中文): what each party learned
 * in a step (the compliance entries), and the other statements a compliance officer reads. The
 * report records carry the English text under a key ({@code learned}, {@code peer_learned}, {@code
 * alignment}) and the Chinese under the same key with {@code _zh}, so a reader of the JSON that
 * knows only the English key sees no change.
 *
 * <p>The texts describe kinds of information (set sizes, counts per segment, partial scores), never
 * values: no customer identifier or feature value goes into them.
 */
record ReportText(String en, String zh) {
  /** The suffix of the Chinese key beside the English one. */
  static final String ZH_SUFFIX = "_zh";

  ReportText {
    if (en == null || en.isBlank() || zh == null || zh.isBlank()) {
      throw new IllegalArgumentException("a report text needs both its English and its Chinese");
    }
  }

  /** A party's name in Chinese: 银行 for the bank, 合作方 for the partner. */
  static String zhName(PsiRole role) {
    return switch (role) {
      case BANK -> "银行";
      case PARTNER -> "合作方";
    };
  }
}
