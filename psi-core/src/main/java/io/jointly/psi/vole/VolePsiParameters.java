package io.jointly.psi.vole;

import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.RevealMode;
import io.jointly.vole.VoleParameters;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything both parties of a VOLE PSI run must agree on, plus each party's local policies.
 * Immutable; invalid combinations are rejected at construction. Start from {@link #DEFAULT} and
 * change fields with {@link #toBuilder()}.
 *
 * <p>Agreed in the handshake (a mismatch aborts both sides): {@link #profile}, {@link #keyColumns},
 * {@link #revealMode}, {@link #statisticalSecurity}, {@link #vole}, {@link #okvsBinItems}. Exchanged so each side can
 * check the other: the set sizes and minimum peer set sizes. Local only: {@link #duplicatePolicy},
 * {@link #invalidIdPolicy}, {@link #receiveTimeout}, {@link #frameItems}.
 *
 * @param profile how identifiers are normalised before hashing
 * @param keyColumns how many columns form the key (1 for a plain identifier)
 * @param revealMode who learns what: {@link RevealMode#BANK} or {@link RevealMode#BOTH}; {@link
 *     RevealMode#COUNT} is refused (see {@link VolePsi} for what it would need)
 * @param minPeerSetSize the privacy guardrail: refuse to run against a peer set smaller than this
 * @param duplicatePolicy what to do with repeated identifiers
 * @param invalidIdPolicy what to do with identifiers that fail the profile
 * @param receiveTimeout how long to wait for any one message from the peer
 * @param statisticalSecurity λ: the OKVS failure probability and every collision bound are at most
 *     2^-λ; at least 40
 * @param vole the silent VOLE's LPN parameters
 * @param frameItems values per message of the large rounds (1 Ki – 1 Mi)
 * @param okvsBinItems the items an OKVS bin is sized for (a power of two, 2^10 – 2^20; {@link
 *     io.jointly.okvs.OkvsParameters#TARGET_BIN_ITEMS} by default): a VOLE chunk covers whole bins
 */
public record VolePsiParameters(
    IdentifierProfile profile,
    int keyColumns,
    RevealMode revealMode,
    long minPeerSetSize,
    DuplicatePolicy duplicatePolicy,
    InvalidIdPolicy invalidIdPolicy,
    Duration receiveTimeout,
    int statisticalSecurity,
    VoleParameters vole,
    int frameItems,
    int okvsBinItems) {

  /** Largest set a party may bring: 2^26 items. */
  public static final int MAX_SET_SIZE = 1 << 26;

  /** Largest number of key columns. */
  public static final int MAX_KEY_COLUMNS = 16;

  /** Raw identifiers, bank reveal, λ = 40, the expand-accumulate VOLE, 64 Ki values per frame. */
  public static final VolePsiParameters DEFAULT =
      new VolePsiParameters(
          IdentifierProfile.RAW,
          1,
          RevealMode.BANK,
          100,
          DuplicatePolicy.DEDUPLICATE,
          InvalidIdPolicy.FAIL,
          Duration.ofMinutes(2),
          40,
          VoleParameters.EXPAND_ACCUMULATE,
          1 << 16,
          io.jointly.okvs.OkvsParameters.TARGET_BIN_ITEMS);

  public VolePsiParameters {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(revealMode, "revealMode");
    Objects.requireNonNull(duplicatePolicy, "duplicatePolicy");
    Objects.requireNonNull(invalidIdPolicy, "invalidIdPolicy");
    Objects.requireNonNull(receiveTimeout, "receiveTimeout");
    Objects.requireNonNull(vole, "vole");
    if (keyColumns < 1 || keyColumns > MAX_KEY_COLUMNS) {
      throw new IllegalArgumentException("keyColumns must be 1.." + MAX_KEY_COLUMNS);
    }
    if (revealMode == RevealMode.COUNT) {
      throw new IllegalArgumentException(
          "VOLE PSI offers the bank and both reveal modes; count needs a circuit-PSI variant (use ECDH PSI for count)");
    }
    if (minPeerSetSize < 0) {
      throw new IllegalArgumentException("minPeerSetSize must be >= 0");
    }
    if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
      throw new IllegalArgumentException("receiveTimeout must be positive");
    }
    if (statisticalSecurity < 40 || statisticalSecurity > 48) {
      throw new IllegalArgumentException("statisticalSecurity must be within 40..48");
    }
    if (frameItems < 1024 || frameItems > 1 << 20) {
      throw new IllegalArgumentException("frameItems must be within 1024..1048576");
    }
    if (okvsBinItems < 1 << 10 || okvsBinItems > 1 << 20 || Integer.bitCount(okvsBinItems) != 1) {
      throw new IllegalArgumentException("okvsBinItems must be a power of two within 1024..1048576");
    }
  }

  /** The pipeline's identifier settings: profile, key columns and the two local policies. */
  public io.jointly.psi.pipeline.IdentifierSettings identifierSettings() {
    return new io.jointly.psi.pipeline.IdentifierSettings(profile, keyColumns, invalidIdPolicy, duplicatePolicy);
  }

  /**
   * A digest of everything that shapes this party's run apart from the time-out: the agreed
   * parameters, the frame size, the guardrail and the local policies. A checkpoint of the prepared
   * input is bound to it.
   */
  public io.jointly.core.Bytes digest() {
    String canonical =
        "vole-psi|" + profile.wireCode() + "|" + keyColumns + "|" + revealMode.wireCode() + "|" + statisticalSecurity
            + "|" + vole + "|" + frameItems + "|" + okvsBinItems + "|" + minPeerSetSize + "|" + duplicatePolicy
            + "|" + invalidIdPolicy;
    return io.jointly.core.Bytes.wrap(
        VolePsiMath.sha256().digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** A builder starting from these parameters. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds modified parameters; {@link #build()} validates. */
  public static final class Builder {
    private IdentifierProfile profile;
    private int keyColumns;
    private RevealMode revealMode;
    private long minPeerSetSize;
    private DuplicatePolicy duplicatePolicy;
    private InvalidIdPolicy invalidIdPolicy;
    private Duration receiveTimeout;
    private int statisticalSecurity;
    private VoleParameters vole;
    private int frameItems;
    private int okvsBinItems;

    private Builder(VolePsiParameters p) {
      profile = p.profile;
      keyColumns = p.keyColumns;
      revealMode = p.revealMode;
      minPeerSetSize = p.minPeerSetSize;
      duplicatePolicy = p.duplicatePolicy;
      invalidIdPolicy = p.invalidIdPolicy;
      receiveTimeout = p.receiveTimeout;
      statisticalSecurity = p.statisticalSecurity;
      vole = p.vole;
      frameItems = p.frameItems;
      okvsBinItems = p.okvsBinItems;
    }

    public Builder profile(IdentifierProfile v) {
      profile = v;
      return this;
    }

    public Builder keyColumns(int v) {
      keyColumns = v;
      return this;
    }

    public Builder revealMode(RevealMode v) {
      revealMode = v;
      return this;
    }

    public Builder minPeerSetSize(long v) {
      minPeerSetSize = v;
      return this;
    }

    public Builder duplicatePolicy(DuplicatePolicy v) {
      duplicatePolicy = v;
      return this;
    }

    public Builder invalidIdPolicy(InvalidIdPolicy v) {
      invalidIdPolicy = v;
      return this;
    }

    public Builder receiveTimeout(Duration v) {
      receiveTimeout = v;
      return this;
    }

    public Builder statisticalSecurity(int v) {
      statisticalSecurity = v;
      return this;
    }

    public Builder vole(VoleParameters v) {
      vole = v;
      return this;
    }

    public Builder frameItems(int v) {
      frameItems = v;
      return this;
    }

    public Builder okvsBinItems(int v) {
      okvsBinItems = v;
      return this;
    }

    public VolePsiParameters build() {
      return new VolePsiParameters(
          profile,
          keyColumns,
          revealMode,
          minPeerSetSize,
          duplicatePolicy,
          invalidIdPolicy,
          receiveTimeout,
          statisticalSecurity,
          vole,
          frameItems,
          okvsBinItems);
    }
  }
}
