package io.jointly.secagg;

import io.jointly.channel.ChannelStats;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one party got out of a secure-aggregation run. At the server: the sum over the included
 * clients; at a client: no sum (clients learn nothing of the others' inputs), only who was
 * included. Both: the agreed layout, the threshold and graph degree, traffic and time.
 *
 * <p>Immutable: the sum is copied in and out.
 */
public final class SecureAggregationResult {
  private final long[] encodedSum;
  private final FixedPoint fixedPoint;
  private final List<String> includedClients;
  private final List<String> droppedClients;
  private final Bytes layout;
  private final int threshold;
  private final int degree;
  private final ChannelStats traffic;
  private final Duration elapsed;

  /**
   * @param encodedSum the sum in Z_2^64 (server), or {@code null} (client)
   * @param fixedPoint the encoding of the values
   * @param includedClients the clients whose inputs are in the sum (U3), sorted
   * @param droppedClients the roster's other clients, sorted
   * @param layout the clients' agreed layout description
   * @param threshold the Shamir threshold used
   * @param degree the graph degree used ({@code roster − 1} for the complete graph)
   * @param traffic this party's bytes and messages, over all its channels
   * @param elapsed wall-clock time of the run
   */
  SecureAggregationResult(
      long[] encodedSum,
      FixedPoint fixedPoint,
      List<String> includedClients,
      List<String> droppedClients,
      Bytes layout,
      int threshold,
      int degree,
      ChannelStats traffic,
      Duration elapsed) {
    this.encodedSum = encodedSum == null ? null : encodedSum.clone();
    this.fixedPoint = Objects.requireNonNull(fixedPoint);
    this.includedClients = List.copyOf(includedClients);
    this.droppedClients = List.copyOf(droppedClients);
    this.layout = Objects.requireNonNull(layout);
    this.threshold = threshold;
    this.degree = degree;
    this.traffic = Objects.requireNonNull(traffic);
    this.elapsed = Objects.requireNonNull(elapsed);
  }

  /** Whether this result carries the sum (the server's does, a client's does not). */
  public boolean hasSum() {
    return encodedSum != null;
  }

  /** The length of the summed vector. */
  public int length() {
    requireSum();
    return encodedSum.length;
  }

  /** The decoded sum at position {@code i}. */
  public double sum(int i) {
    requireSum();
    return fixedPoint.decode(encodedSum[i]);
  }

  /** The decoded sum vector (a copy). */
  public double[] sums() {
    requireSum();
    double[] out = new double[encodedSum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = fixedPoint.decode(encodedSum[i]);
    }
    return out;
  }

  /** The sum in Z_2^64, as fixed-point encodings (a copy). */
  public long[] encodedSums() {
    requireSum();
    return encodedSum.clone();
  }

  public FixedPoint fixedPoint() {
    return fixedPoint;
  }

  /** The clients whose inputs the sum includes, sorted by name. */
  public List<String> includedClients() {
    return includedClients;
  }

  /** The clients of the roster that dropped out (or were excluded), sorted by name. */
  public List<String> droppedClients() {
    return droppedClients;
  }

  /** The layout description all clients agreed on. */
  public Bytes layout() {
    return layout;
  }

  public int threshold() {
    return threshold;
  }

  public int degree() {
    return degree;
  }

  public ChannelStats traffic() {
    return traffic;
  }

  public Duration elapsed() {
    return elapsed;
  }

  private void requireSum() {
    if (encodedSum == null) {
      throw new IllegalStateException("a client's result carries no sum");
    }
  }

  @Override
  public String toString() {
    return "SecureAggregationResult["
        + (hasSum() ? encodedSum.length + " sums" : "client")
        + ", included "
        + includedClients.size()
        + ", dropped "
        + droppedClients.size()
        + "]";
  }
}
