package io.jointly.group;

import io.jointly.group.internal.P256Group;
import io.jointly.group.internal.Ristretto255Group;
import io.jointly.group.internal.Sm2Group;
import io.jointly.group.internal.X25519Group;

/**
 * The factory of the suites' {@link EcdhGroup}s with Jointly's domain-separation tags. An explicit
 * switch, no registry: every suite is listed here and nowhere else.
 */
public final class EcdhGroups {
  private EcdhGroups() {}

  /** The group of the given suite, with Jointly's default domain-separation tag. */
  public static EcdhGroup create(SuiteId suite) {
    return switch (suite) {
      case RISTRETTO255 -> Holder.RISTRETTO255;
      case X25519 -> Holder.X25519;
      case P256 -> Holder.P256;
      case SM2 -> Holder.SM2;
    };
  }

  /** The groups are immutable and thread-safe, so one instance of each serves everyone. */
  private static final class Holder {
    static final EcdhGroup RISTRETTO255 = new Ristretto255Group();
    static final EcdhGroup X25519 = new X25519Group();
    static final EcdhGroup P256 = new P256Group();
    static final EcdhGroup SM2 = new Sm2Group();
  }
}
