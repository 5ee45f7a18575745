package io.jointly.secagg;

import io.jointly.core.FixedPoint;
import java.time.Duration;
import java.util.Objects;

/**
 * What the server and every client of a secure-aggregation run must agree on, plus the time-outs.
 * Immutable; invalid combinations are rejected at construction. Start from {@link #forClients} and
 * change fields with {@link #toBuilder()}.
 *
 * <p>Checked in the handshake (a difference aborts the run with {@code HANDSHAKE_MISMATCH}): the
 * fixed-point encoding, {@link #maxAbs} and the graph. The client counts are the server's to set:
 * at the server they are the run's; at a client they are limits — {@link #expectedClients} the
 * most clients it accepts (its overflow bound), {@link #minClients} the fewest — and the client
 * refuses a server whose counts fall outside them or whose minimum is below the threshold. The vector length and the layout of the vector are the clients' (see {@link
 * SecureAggregationClient#run}); the server takes them from the clients and checks that all agree.
 *
 * <h2>Values and overflow</h2>
 *
 * Each value is encoded with {@link #fixedPoint} as a signed 64-bit integer and summed in Z_2^64
 * (wrap-around). Every client declares that its values satisfy {@code |x| ≤ maxAbs} (a larger
 * value is an input error at that client); construction checks with {@link
 * FixedPoint#additionsWithin} that {@code expectedClients} such values always sum without
 * wrapping past ±2^63, so the decoded sum is exact up to the encoding's resolution {@code 2^−f}
 * per value.
 *
 * <h2>Threshold and minimum</h2>
 *
 * A client's secrets are shared among its <em>holders</em>, itself and its {@code d} neighbours in
 * the graph ({@code d = n − 1} for the complete graph), with threshold {@link #threshold(int)
 * t(n)} = ⌊(d + 1)/2⌋ + 1, a strict majority of the holders. At the server {@link #minClients}
 * must be at least {@code t(expectedClients)} ({@link SecureAggregationServer} refuses otherwise):
 * with the complete graph no run then proceeds with fewer live clients than the threshold, and
 * every phase must keep at least {@code minClients} clients or the run aborts.
 *
 * @param fixedPoint the encoding of the values
 * @param maxAbs the declared bound on the magnitude of every input value
 * @param expectedClients the number of clients the server expects (the roster may be smaller if
 *     some never joined), 3 to {@value #MAX_CLIENTS}
 * @param minClients the fewest clients that must survive every phase, 2 to {@code
 *     expectedClients} (and at the server at least {@code t(expectedClients)})
 * @param graph the complete graph or a sparse one (Bell et al.)
 * @param maxVectorLength the server's limit on the vector length the clients bring
 * @param phaseTimeout how long a client may give no sign of work while the server waits for its
 *     message, before the server counts it as dropped (a busy client is waited for; a silent one,
 *     or one that waits for the server too, is dropped: see {@link
 *     io.jointly.channel.MessageChannel})
 * @param clientTimeout how long the server may give no sign of work while a client waits for its
 *     message (a server waiting for the slowest client is at work for this client)
 */
public record SecureAggregationParameters(
    FixedPoint fixedPoint,
    double maxAbs,
    int expectedClients,
    int minClients,
    Graph graph,
    int maxVectorLength,
    Duration phaseTimeout,
    Duration clientTimeout) {

  /** Most clients in one run. */
  public static final int MAX_CLIENTS = 10_000;

  /** Largest vector: 2^27 values (1 GiB of 64-bit words). */
  public static final int MAX_VECTOR_LENGTH = 1 << 27;

  /** Default bound on input magnitudes: 10^9. */
  public static final double DEFAULT_MAX_ABS = 1e9;

  /** Default server-side vector length limit: 2^24 values. */
  public static final int DEFAULT_MAX_VECTOR_LENGTH = 1 << 24;

  public SecureAggregationParameters {
    Objects.requireNonNull(fixedPoint, "fixedPoint");
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(phaseTimeout, "phaseTimeout");
    Objects.requireNonNull(clientTimeout, "clientTimeout");
    if (!(maxAbs > 0) || maxAbs > fixedPoint.maxAbs()) {
      throw new IllegalArgumentException(
          "maxAbs must be positive and at most the encoding's range 2^" + (62 - fixedPoint.fractionalBits()));
    }
    if (expectedClients < 3 || expectedClients > MAX_CLIENTS) {
      throw new IllegalArgumentException("expectedClients must be 3.." + MAX_CLIENTS);
    }
    long within = fixedPoint.additionsWithin(maxAbs, 64);
    if (within < expectedClients) {
      throw new IllegalArgumentException(
          "overflow: "
              + expectedClients
              + " values of magnitude up to maxAbs can wrap around Z_2^64 with "
              + fixedPoint.fractionalBits()
              + " fractional bits (at most "
              + within
              + " clients fit); lower maxAbs or the fractional bits");
    }
    if (minClients < 2 || minClients > expectedClients) {
      throw new IllegalArgumentException("minClients must be in 2.." + expectedClients);
    }
    if (maxVectorLength < 1 || maxVectorLength > MAX_VECTOR_LENGTH) {
      throw new IllegalArgumentException("maxVectorLength must be 1.." + MAX_VECTOR_LENGTH);
    }
    if (phaseTimeout.isNegative() || phaseTimeout.isZero() || clientTimeout.isNegative() || clientTimeout.isZero()) {
      throw new IllegalArgumentException("time-outs must be positive");
    }
  }

  /**
   * Defaults for {@code expectedClients}: {@link FixedPoint#DEFAULT}, {@code maxAbs} 10^9, {@code
   * minClients} the threshold, {@link Graph#AUTO}, 30 s per phase message, 10 min client wait.
   */
  public static SecureAggregationParameters forClients(int expectedClients) {
    Graph graph = Graph.AUTO;
    int min = expectedClients >= 3 ? Math.max(2, graph.threshold(expectedClients)) : 2;
    return new SecureAggregationParameters(
        FixedPoint.DEFAULT,
        DEFAULT_MAX_ABS,
        expectedClients,
        min,
        graph,
        DEFAULT_MAX_VECTOR_LENGTH,
        Duration.ofSeconds(30),
        Duration.ofMinutes(10));
  }

  /** The threshold for a roster of {@code n} clients: {@code graph().threshold(n)}. */
  public int threshold(int n) {
    return graph.threshold(n);
  }

  /** A builder starting from these parameters. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The communication graph: which clients agree pairwise masks and hold each other's shares.
   *
   * @param kind complete, sparse or chosen by size
   * @param degree for {@link Kind#SPARSE}: the even degree, or 0 for {@link #defaultDegree}
   */
  public record Graph(Kind kind, int degree) {
    /** Rosters up to this size use the complete graph under {@link #AUTO}. */
    public static final int AUTO_COMPLETE_UP_TO = 64;

    /** Every pair of clients (Bonawitz et al. 2017). */
    public static final Graph COMPLETE = new Graph(Kind.COMPLETE, 0);

    /** Complete up to {@value #AUTO_COMPLETE_UP_TO} clients, sparse with the default degree above. */
    public static final Graph AUTO = new Graph(Kind.AUTO, 0);

    /** The kinds of graph (compared in the handshake by these explicit codes). */
    public enum Kind {
      COMPLETE(1),
      SPARSE(2),
      AUTO(3);

      private final int wireCode;

      Kind(int wireCode) {
        this.wireCode = wireCode;
      }

      /** The code in a client's hello, where the server checks the setting is the same. */
      public int wireCode() {
        return wireCode;
      }
    }

    public Graph {
      Objects.requireNonNull(kind, "kind");
      if (kind == Kind.SPARSE ? degree != 0 && (degree < 2 || (degree & 1) != 0) : degree != 0) {
        throw new IllegalArgumentException("a sparse degree is 0 (default) or even and >= 2; other kinds take 0");
      }
    }

    /** A random Harary graph of the given even degree, or of {@link #defaultDegree} if 0 (Bell et al. 2020). */
    public static Graph sparse(int degree) {
      return new Graph(Kind.SPARSE, degree);
    }

    /**
     * The default sparse degree {@code 2⌈log2 n⌉}: 12 for 50 clients, 16 for 200. Bell et al. show
     * that a degree of O(log n) suffices; the constant here is a practical choice, not the
     * paper's bound (see the package documentation).
     */
    public static int defaultDegree(int n) {
      int log = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1)); // ceil(log2 n)
      return 2 * Math.max(1, log);
    }

    /** The degree of the graph on {@code n ≥ 3} clients; {@code n − 1} means complete. */
    public int degreeFor(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("a graph needs at least 2 clients");
      }
      int d =
          switch (kind) {
            case COMPLETE -> n - 1;
            case SPARSE -> degree == 0 ? defaultDegree(n) : degree;
            case AUTO -> n <= AUTO_COMPLETE_UP_TO ? n - 1 : defaultDegree(n);
          };
      return Math.min(d, n - 1);
    }

    /** The Shamir threshold on {@code n} clients: a strict majority of a client's d + 1 holders. */
    public int threshold(int n) {
      return (degreeFor(n) + 1) / 2 + 1;
    }
  }

  /** Builds modified parameters; {@link #build()} validates. */
  public static final class Builder {
    private FixedPoint fixedPoint;
    private double maxAbs;
    private int expectedClients;
    private int minClients;
    private Graph graph;
    private int maxVectorLength;
    private Duration phaseTimeout;
    private Duration clientTimeout;

    private Builder(SecureAggregationParameters p) {
      fixedPoint = p.fixedPoint;
      maxAbs = p.maxAbs;
      expectedClients = p.expectedClients;
      minClients = p.minClients;
      graph = p.graph;
      maxVectorLength = p.maxVectorLength;
      phaseTimeout = p.phaseTimeout;
      clientTimeout = p.clientTimeout;
    }

    public Builder fixedPoint(FixedPoint v) {
      fixedPoint = v;
      return this;
    }

    public Builder maxAbs(double v) {
      maxAbs = v;
      return this;
    }

    public Builder expectedClients(int v) {
      expectedClients = v;
      return this;
    }

    public Builder minClients(int v) {
      minClients = v;
      return this;
    }

    public Builder graph(Graph v) {
      graph = v;
      return this;
    }

    public Builder maxVectorLength(int v) {
      maxVectorLength = v;
      return this;
    }

    public Builder phaseTimeout(Duration v) {
      phaseTimeout = v;
      return this;
    }

    public Builder clientTimeout(Duration v) {
      clientTimeout = v;
      return this;
    }

    public SecureAggregationParameters build() {
      return new SecureAggregationParameters(
          fixedPoint, maxAbs, expectedClients, minClients, graph, maxVectorLength, phaseTimeout, clientTimeout);
    }
  }
}
