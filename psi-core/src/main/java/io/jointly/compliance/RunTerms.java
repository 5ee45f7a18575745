package io.jointly.compliance;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What one party states about a run before any data item moves: its purpose, the command and
 * protocol, what the run reveals, its public parameters, the guardrails it applies and the size of
 * its input. Both parties exchange their terms in the run agreement; purpose, command, protocol and
 * reveal must be equal, and each party's policy is checked against both parties' terms.
 *
 * <p>Everything here is public to the peer and goes into the signed receipt: no data value, only
 * names, parameters and a row count.
 *
 * @param purpose the purpose, or empty if the party states none (a policy then refuses the run)
 * @param command the command, such as {@code psi}, {@code stats}, {@code train}, {@code score}, {@code
 *     aggregate} (1–64 of {@code [a-z0-9.+-]})
 * @param protocol the protocol, such as {@code ecdh-psi} or {@code vertical-lr} (same form)
 * @param reveal what the run reveals to whom, in the command's own terms, such as {@code bank}, {@code
 *     both}, {@code count}, {@code secret-shared} (same form)
 * @param parameters the public parameters the party runs with (at most 64; keys 1–64 of {@code
 *     [a-z0-9_.-]}, values at most 256 characters without control characters), in key order
 * @param minPeerSetSize the smallest peer set this party's protocol guardrail accepts, or empty if
 *     the protocol has no such guardrail
 * @param minCellSize the smallest group of customers a released figure may describe, or empty if
 *     the run releases no figures per group
 * @param inputRows the number of rows of this party's input the run uses
 */
public record RunTerms(
    Optional<Purpose> purpose,
    String command,
    String protocol,
    String reveal,
    SortedMap<String, String> parameters,
    OptionalLong minPeerSetSize,
    OptionalLong minCellSize,
    long inputRows) {

  /** The form of command, protocol and reveal names. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.+-]{0,63}");

  /** The form of parameter names. */
  public static final Pattern PARAMETER = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  /** The most parameters. */
  public static final int MAX_PARAMETERS = 64;

  /** The longest parameter value. */
  public static final int MAX_PARAMETER_LENGTH = 256;

  public RunTerms {
    Objects.requireNonNull(purpose, "purpose");
    name(command, "command");
    name(protocol, "protocol");
    name(reveal, "reveal");
    Objects.requireNonNull(parameters, "parameters");
    if (parameters.size() > MAX_PARAMETERS) {
      throw new IllegalArgumentException("at most " + MAX_PARAMETERS + " parameters");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      if (!PARAMETER.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("parameter names are 1-64 of [a-z0-9_.-]: " + e.getKey());
      }
      String v = Objects.requireNonNull(e.getValue(), "parameter value");
      if (v.length() > MAX_PARAMETER_LENGTH || v.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "parameter " + e.getKey() + ": at most " + MAX_PARAMETER_LENGTH + " characters, no control characters");
      }
      copy.put(e.getKey(), v);
    }
    parameters = Collections.unmodifiableSortedMap(copy);
    Objects.requireNonNull(minPeerSetSize, "minPeerSetSize");
    Objects.requireNonNull(minCellSize, "minCellSize");
    if (minPeerSetSize.orElse(0) < 0 || minCellSize.orElse(0) < 0 || inputRows < 0) {
      throw new IllegalArgumentException("sizes and counts must be >= 0");
    }
  }

  private static void name(String value, String what) {
    Objects.requireNonNull(value, what);
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be 1-64 of [a-z0-9.+-]: " + value);
    }
  }

  /** Terms for {@code command} run with {@code protocol}; the rest set on the builder. */
  public static Builder builder(String command, String protocol) {
    return new Builder(command, protocol);
  }

  /**
   * The first of purpose, command, protocol and reveal in which {@code other} differs from these
   * terms, as a field name ({@code purpose.campaign}, {@code command}...), or empty if they agree.
   * Parameters, guardrails and input sizes are each party's own and may differ.
   */
  public Optional<String> firstDisagreement(RunTerms other) {
    if (purpose.isPresent() != other.purpose.isPresent()) {
      return Optional.of("purpose");
    }
    if (purpose.isPresent()) {
      Optional<String> d = purpose.get().firstDifference(other.purpose.get());
      if (d.isPresent()) {
        return Optional.of("purpose." + d.get());
      }
    }
    if (!command.equals(other.command)) {
      return Optional.of("command");
    }
    if (!protocol.equals(other.protocol)) {
      return Optional.of("protocol");
    }
    if (!reveal.equals(other.reveal)) {
      return Optional.of("reveal");
    }
    return Optional.empty();
  }

  /** Builds {@link RunTerms}. Not thread-safe. */
  public static final class Builder {
    private final String command;
    private final String protocol;
    private Optional<Purpose> purpose = Optional.empty();
    private String reveal = "none";
    private final TreeMap<String, String> parameters = new TreeMap<>();
    private OptionalLong minPeerSetSize = OptionalLong.empty();
    private OptionalLong minCellSize = OptionalLong.empty();
    private long inputRows;

    private Builder(String command, String protocol) {
      this.command = command;
      this.protocol = protocol;
    }

    public Builder purpose(Optional<Purpose> purpose) {
      this.purpose = Objects.requireNonNull(purpose);
      return this;
    }

    public Builder reveal(String reveal) {
      this.reveal = reveal;
      return this;
    }

    /** Adds a public parameter (its value's {@code toString}). */
    public Builder parameter(String name, Object value) {
      parameters.put(name, String.valueOf(value));
      return this;
    }

    public Builder minPeerSetSize(long n) {
      this.minPeerSetSize = OptionalLong.of(n);
      return this;
    }

    public Builder minCellSize(long n) {
      this.minCellSize = OptionalLong.of(n);
      return this;
    }

    public Builder inputRows(long n) {
      this.inputRows = n;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a field is out of its range
     */
    public RunTerms build() {
      return new RunTerms(
          purpose, command, protocol, reveal, parameters, minPeerSetSize, minCellSize, inputRows);
    }
  }
}
