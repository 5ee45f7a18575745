package io.jointly.group;

import io.jointly.group.internal.IcSm2Group;
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

  /**
   * The group of an interconnection-standard suite: {@link
   * InterconnectionSuite#CURVE25519_SHA256_DIRECT} is the {@link SuiteId#X25519} group itself (the
   * same hash and encoding); {@link InterconnectionSuite#SM2_SHA256_TRY_AND_REHASH} is the SM2 curve
   * with the reference's try-and-rehash hash ({@link IcSm2Group}), whose {@link EcdhGroup#suite()}
   * says {@link SuiteId#SM2} because its scalars and elements are those of the SM2 suite.
   */
  public static EcdhGroup create(InterconnectionSuite suite) {
    return switch (suite) {
      case CURVE25519_SHA256_DIRECT -> Holder.X25519;
      case SM2_SHA256_TRY_AND_REHASH -> Holder.IC_SM2;
    };
  }

  /** ristretto255 as a {@link PrimeOrderGroup}, for base oblivious transfer. */
  public static PrimeOrderGroup ristretto255() {
    return Holder.RISTRETTO255;
  }

  /** The groups are immutable and thread-safe, so one instance of each serves everyone. */
  private static final class Holder {
    static final Ristretto255Group RISTRETTO255 = new Ristretto255Group();
    static final EcdhGroup X25519 = new X25519Group();
    static final EcdhGroup P256 = new P256Group();
    static final EcdhGroup SM2 = new Sm2Group();
    static final EcdhGroup IC_SM2 = new IcSm2Group();
  }
}
