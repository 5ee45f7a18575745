package io.jointly.secagg;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;
import static io.jointly.core.ProtocolAbortException.Reason.POLICY_REFUSED;

import io.jointly.channel.ChannelStats;
import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.GroupScalar;
import io.jointly.secagg.internal.NeighbourGraph;
import io.jointly.secagg.internal.PairwiseCrypto;
import io.jointly.secagg.internal.Shamir;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * The server of secure aggregation (Bonawitz et al., CCS 2017, honest-but-curious variant; sparse
 * graph option of Bell et al., CCS 2020): it learns the sum of the clients' vectors over the
 * clients it names as included, and nothing else about any single input.
 *
 * <h2>Rounds (server side)</h2>
 *
 * For every phase the server sends each live client its message and waits for the client's
 * answer, all clients concurrently on the executor. A client that gives no sign of work for {@link
 * SecureAggregationParameters#phaseTimeout()} while its answer is awaited (it is gone, stopped or
 * waiting for the server too; a busy client is waited for), whose channel fails, or whose message
 * is malformed is <em>dropped</em>: the server closes its channel and goes on without it.
 * After each phase at least {@code minClients} must remain, otherwise the run aborts: every live
 * client is told (its next message carries an abort status) and {@link #run} throws {@link
 * ProtocolAbortException} with reason {@code POLICY_REFUSED}.
 *
 * <ol>
 *   <li>{@code HELLO}: the clients' parameters, vector lengths and layouts must all agree with the
 *       server's and each other (else {@code HANDSHAKE_MISMATCH}); the clients that said hello form
 *       the roster, sorted by name.
 *   <li>{@code SETUP} → {@code ADVERTISE_KEYS} (U1) → {@code NEIGHBOUR_KEYS} → {@code SHARE_KEYS}
 *       (U2) → {@code SHARES_FOR_YOU} → {@code MASKED_INPUT} (U3) → {@code SURVIVORS} → {@code
 *       UNMASK} (U4) → {@code OUTCOME}.
 *   <li>Unmasking: for every u ∈ U3 it reconstructs b_u from t shares held by U4 ∩ ({u} ∪ N(u));
 *       for every u ∈ U2∖U3 with a neighbour in U3 it reconstructs s_u^SK from t shares held by
 *       U4 ∩ N(u), checks it against u's advertised key, and recomputes u's pairwise masks with
 *       its surviving neighbours; then removes all of those masks ({@link Masking}) in parallel.
 * </ol>
 *
 * <p>Masked inputs are collected into one buffer per client and added to the sum once complete, so
 * a client that fails halfway leaves no trace in the sum; at most {@value #MAX_BUFFERED_CLIENTS}
 * clients are buffered at a time, bounding memory to about that many vectors.
 *
 * <p>The server closes the channels of dropped clients; the channels of the others stay open for
 * the caller to close. Thread-safety: immutable; {@link #run} blocks its calling thread and uses
 * the executor for per-client I/O and for unmasking. Give it an executor that can run one task per
 * client at once (for example {@code Executors.newCachedThreadPool}); with fewer threads the phases
 * still complete but waits for silent clients add up.
 */
public final class SecureAggregationServer {
  /** Most clients whose masked input is buffered at once. */
  static final int MAX_BUFFERED_CLIENTS = 8;

  private final SecureAggregationParameters params;
  private final Executor executor;
  private final int parallelism;
  private final SecureRandom random;

  /**
   * @param params the parameters (every client must agree)
   * @throws IllegalArgumentException if {@code minClients} is below the threshold for {@code
   *     expectedClients}
   * @param executor runs per-client I/O and unmasking; never the common pool
   * @param parallelism slices for unmasking (usually the number of cores)
   */
  public SecureAggregationServer(SecureAggregationParameters params, Executor executor, int parallelism) {
    this.params = Objects.requireNonNull(params);
    int t = params.threshold(params.expectedClients());
    if (params.minClients() < t) {
      throw new IllegalArgumentException(
          "minClients must be at least the threshold " + t + " for " + params.expectedClients() + " clients");
    }
    this.executor = Objects.requireNonNull(executor);
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.parallelism = parallelism;
    this.random = new SecureRandom();
  }

  public SecureAggregationParameters parameters() {
    return params;
  }

  /**
   * Runs one aggregation with the clients on {@code clients} (name → channel; the name is the
   * client's authenticated identity, e.g. its TLS certificate name).
   *
   * @param clients one channel per client that joined, at most {@code expectedClients}
   * @return the sum over the included clients, the included and dropped names
   * @throws ProtocolAbortException {@code POLICY_REFUSED} if fewer than {@code minClients}
   *     survived a phase or too few shares remained to unmask; {@code HANDSHAKE_MISMATCH} if the
   *     clients' parameters or layouts disagree
   */
  public SecureAggregationResult run(Map<String, ? extends MessageChannel> clients) throws JointlyException {
    Objects.requireNonNull(clients);
    if (clients.size() > params.expectedClients()) {
      throw new IllegalArgumentException(
          clients.size() + " clients given, more than the " + params.expectedClients() + " expected");
    }
    long start = System.nanoTime();
    List<String> names = new ArrayList<>(new TreeMap<>(clients).keySet());
    List<CountingChannel> all = new ArrayList<>();
    for (String name : names) {
      all.add(new CountingChannel(clients.get(name)));
    }
    Run run = new Run(all);
    try {
      return run.execute(start);
    } catch (ProtocolAbortException e) {
      run.abortAll(e.reason() == HANDSHAKE_MISMATCH ? SecureAggregationClient.ABORT_MISMATCH
          : e.reason() == POLICY_REFUSED ? SecureAggregationClient.ABORT_TOO_FEW
          : SecureAggregationClient.ABORT_FAILED);
      throw e;
    } catch (JointlyException | RuntimeException | Error e) {
      run.abortAll(SecureAggregationClient.ABORT_FAILED);
      throw e;
    }
  }

  /** One client's part of a phase. */
  @FunctionalInterface
  private interface ClientStep<T> {
    T run(int client) throws JointlyException;
  }

  /** The state of one run. Indexes are positions in the sorted roster (after HELLO). */
  private final class Run {
    private final List<CountingChannel> joined;
    private List<CountingChannel> channels;
    private boolean[] live;
    /** The server round every live client waits for next: where an abort notice goes. */
    private Round nextDown = Round.SETUP;

    Run(List<CountingChannel> joined) {
      this.joined = joined;
      this.channels = joined;
      this.live = new boolean[joined.size()];
      Arrays.fill(live, true);
    }

    SecureAggregationResult execute(long start) throws JointlyException {
      Duration wait = params.phaseTimeout();
      int min = params.minClients();

      // HELLO: who joined and what they bring.
      Map<Integer, Hello> hellos =
          phase(all(), i -> Hello.read(Wire.open(Round.HELLO.key(), channels.get(i).receive(Round.HELLO.key(), wait))));
      nextDown = Round.SETUP;
      requireLive(hellos.size(), "the hello");
      Hello first = null;
      for (var e : hellos.entrySet()) {
        Hello h = e.getValue();
        h.checkAgainst(params, channels.get(e.getKey()).peer());
        if (first == null) {
          first = h;
        } else {
          Abort.unless(h.vectorLength() == first.vectorLength(), HANDSHAKE_MISMATCH,
              "the clients' vector lengths differ");
          Abort.unless(h.layout().equals(first.layout()), HANDSHAKE_MISMATCH,
              "the clients' layouts differ (keys or columns not the same, or not in the same order)");
        }
      }
      // The roster: the clients that said hello, sorted by name.
      List<CountingChannel> roster = new ArrayList<>();
      for (int i : hellos.keySet()) {
        roster.add(channels.get(i));
      }
      channels = roster;
      int n = roster.size();
      live = new boolean[n];
      Arrays.fill(live, true);
      int length = first.vectorLength();
      Bytes layout = first.layout();
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      Setup setup = new Setup(
          roster.stream().map(CountingChannel::peer).toList(),
          params.graph().degreeFor(n),
          params.threshold(n),
          params.fixedPoint().fractionalBits(),
          params.maxAbs(),
          params.expectedClients(),
          min,
          length,
          Bytes.wrap(seed),
          Bytes.wrap(Setup.sha256(layout.toByteArray())));
      NeighbourGraph graph = setup.graph();
      int t = setup.threshold();
      byte[] salt = setup.runDigest(roster.get(0).sessionId());
      byte[] setupBody = setup.body();

      // Phase 0: AdvertiseKeys.
      Map<Integer, byte[][]> keys = phase(all(), i -> {
        send(i, Round.SETUP, setupBody);
        Wire.Reader r = Wire.open(Round.ADVERTISE_KEYS.key(), channels.get(i).receive(Round.ADVERTISE_KEYS.key(), wait));
        byte[][] k = {r.bytes(PairwiseCrypto.PUBLIC_KEY_BYTES), r.bytes(PairwiseCrypto.PUBLIC_KEY_BYTES)};
        r.end();
        return k;
      });
      nextDown = Round.NEIGHBOUR_KEYS;
      requireLive(keys.size(), "advertising keys");

      // Phase 1: ShareKeys.
      int shareBytes = 8 + 2 * Shamir.SHARE_BYTES + PairwiseCrypto.TAG_BYTES;
      Map<Integer, Map<Integer, byte[]>> sent = phase(keys.keySet(), i -> {
        List<Integer> u1 = new ArrayList<>();
        Wire.Writer w = new Wire.Writer(8 + graph.degree() * 68).u8(SecureAggregationClient.STATUS_OK);
        for (int v : graph.neighbours(i)) {
          if (keys.containsKey(v)) {
            u1.add(v);
          }
        }
        w.u32(u1.size());
        for (int v : u1) {
          w.u32(v).bytes(keys.get(v)[0]).bytes(keys.get(v)[1]);
        }
        sendFramed(i, Round.NEIGHBOUR_KEYS, w);
        Wire.Reader r = Wire.open(Round.SHARE_KEYS.key(), channels.get(i).receive(Round.SHARE_KEYS.key(), wait));
        int count = r.count(u1.size(), u1.size(), "share count");
        Map<Integer, byte[]> out = new TreeMap<>();
        for (int j = 0; j < count; j++) {
          int v = r.u32();
          Abort.unlessWellFormed(v == u1.get(j), "shares are not addressed to the client's neighbours in order");
          out.put(v, r.bytes(shareBytes));
        }
        r.end();
        return out;
      });
      nextDown = Round.SHARES_FOR_YOU;
      requireLive(sent.size(), "sharing keys");

      // Phase 2: MaskedInputCollection.
      long[] sum = new long[length];
      Semaphore buffers = new Semaphore(MAX_BUFFERED_CLIENTS);
      Map<Integer, Boolean> masked = phase(sent.keySet(), i -> {
        Wire.Writer w = new Wire.Writer(8 + graph.degree() * (4 + shareBytes)).u8(SecureAggregationClient.STATUS_OK);
        List<Integer> from = new ArrayList<>();
        for (int v : graph.neighbours(i)) {
          if (sent.containsKey(v) && sent.get(v).containsKey(i)) {
            from.add(v);
          }
        }
        w.u32(from.size());
        for (int v : from) {
          w.u32(v).bytes(sent.get(v).get(i));
        }
        sendFramed(i, Round.SHARES_FOR_YOU, w);
        buffers.acquireUninterruptibly();
        try {
          long[] y = new long[length];
          for (int off = 0, seq = 0; off < length; off += Masking.BATCH_WORDS, seq++) {
            RoundKey key = Round.MASKED_INPUT.key(seq);
            Wire.open(key, channels.get(i).receive(key, wait)).words(y, off, Math.min(Masking.BATCH_WORDS, length - off));
          }
          synchronized (sum) {
            for (int j = 0; j < length; j++) {
              sum[j] += y[j];
            }
          }
          return Boolean.TRUE;
        } finally {
          buffers.release();
        }
      });
      nextDown = Round.SURVIVORS;
      requireLive(masked.size(), "collecting masked inputs");
      boolean[] inU3 = new boolean[n];
      masked.keySet().forEach(i -> inU3[i] = true);

      // Phase 4: Unmasking.
      Wire.Writer sv = new Wire.Writer(8 + 4 * n).u8(SecureAggregationClient.STATUS_OK).u32(masked.size());
      masked.keySet().forEach(sv::u32);
      byte[] survivorsBody = sv.body();
      Map<Integer, byte[][]> unmask = phase(masked.keySet(), i -> {
        sendWithStatus(i, Round.SURVIVORS, survivorsBody);
        Wire.Reader r = Wire.open(Round.UNMASK.key(), channels.get(i).receive(Round.UNMASK.key(), wait));
        List<Integer> owners = new ArrayList<>();
        for (int v : graph.neighbours(i)) {
          if (sent.containsKey(v) && sent.get(v).containsKey(i)) {
            owners.add(v);
          }
        }
        owners.add(i);
        owners.sort(null);
        int count = r.count(owners.size(), owners.size(), "unmask share count");
        byte[][] shares = new byte[n][];
        for (int j = 0; j < count; j++) {
          int v = r.u32();
          Abort.unlessWellFormed(v == owners.get(j), "unmask shares do not match the client's holdings");
          int kind = r.u8();
          Abort.unlessWellFormed(
              kind == (inU3[v] ? SecureAggregationClient.SHARE_OF_B : SecureAggregationClient.SHARE_OF_S),
              "an unmask share has the wrong kind");
          shares[v] = r.bytes(Shamir.SHARE_BYTES);
        }
        r.end();
        return shares;
      });
      nextDown = Round.OUTCOME;
      requireLive(unmask.size(), "unmasking");

      List<Masking.MaskStream> streams = new ArrayList<>();
      try {
        for (int u = 0; u < n; u++) {
          if (inU3[u]) {
            byte[] b = reconstruct(u, true, graph, unmask, t);
            streams.add(new Masking.MaskStream(b, true));
          } else if (sent.containsKey(u)) {
            List<Integer> survivingNeighbours = new ArrayList<>();
            for (int v : graph.neighbours(u)) {
              if (inU3[v]) {
                survivingNeighbours.add(v);
              }
            }
            if (survivingNeighbours.isEmpty()) {
              continue;
            }
            byte[] sk = reconstruct(u, false, graph, unmask, t);
            GroupScalar s = PairwiseCrypto.secretKeyFromBytes(sk);
            PairwiseCrypto.wipe(sk);
            try {
              Abort.unless(
                  Arrays.equals(PairwiseCrypto.publicKey(s), keys.get(u)[1]),
                  ProtocolAbortException.Reason.MALFORMED_MESSAGE,
                  "a reconstructed mask key does not match the key its owner advertised");
              for (int v : survivingNeighbours) {
                byte[] agreed = PairwiseCrypto.agree(s, keys.get(v)[1]);
                // v added σ(v, u)·PRG(s_uv); remove it.
                streams.add(new Masking.MaskStream(
                    PairwiseCrypto.derive(agreed, salt, PairwiseCrypto.MASK_LABEL), !Masking.pairNegated(v, u)));
                PairwiseCrypto.wipe(agreed);
              }
            } finally {
              s.destroy();
            }
          }
        }
        Masking.applyParallel(sum, streams, executor, parallelism);
      } finally {
        streams.forEach(Masking.MaskStream::wipe);
      }

      Wire.Writer done = new Wire.Writer(8 + 4 * n).u8(SecureAggregationClient.STATUS_OK).u32(masked.size());
      masked.keySet().forEach(done::u32);
      byte[] doneBody = done.body();
      phase(unmask.keySet(), i -> {
        sendWithStatus(i, Round.OUTCOME, doneBody);
        return Boolean.TRUE;
      });

      List<String> included = new ArrayList<>();
      List<String> dropped = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (inU3[i] ? included : dropped).add(channels.get(i).peer());
      }
      for (CountingChannel c : joined) {
        if (!roster.contains(c)) {
          dropped.add(c.peer());
        }
      }
      dropped.sort(null);
      return new SecureAggregationResult(
          sum, params.fixedPoint(), included, dropped, layout, t, graph.degree(), traffic(),
          Duration.ofNanos(System.nanoTime() - start));
    }

    /** Reconstructs b_u ({@code selfMask}) or s_u^SK from the first t shares in U4. */
    private byte[] reconstruct(int u, boolean selfMask, NeighbourGraph graph, Map<Integer, byte[][]> unmask, int t)
        throws ProtocolAbortException {
      List<Integer> holders = new ArrayList<>();
      for (var e : unmask.entrySet()) {
        int w = e.getKey();
        if (e.getValue()[u] != null && (w != u || selfMask) && (w == u || graph.adjacent(u, w))) {
          holders.add(w);
          if (holders.size() == t) {
            break;
          }
        }
      }
      Abort.unless(holders.size() >= t, POLICY_REFUSED,
          "too few of a client's share holders answered in the unmasking phase (" + holders.size()
              + " of the threshold " + t + ")");
      int[] xs = new int[t];
      byte[] values = new byte[t * Shamir.SHARE_BYTES];
      for (int j = 0; j < t; j++) {
        int w = holders.get(j);
        xs[j] = w + 1;
        System.arraycopy(unmask.get(w)[u], 0, values, j * Shamir.SHARE_BYTES, Shamir.SHARE_BYTES);
      }
      byte[] secret = Shamir.reconstruct(xs, values);
      Abort.unlessWellFormed(secret != null, "unmask shares do not reconstruct a 256-bit secret");
      return secret;
    }

    private List<Integer> all() {
      List<Integer> l = new ArrayList<>();
      for (int i = 0; i < channels.size(); i++) {
        l.add(i);
      }
      return l;
    }

    /**
     * Runs {@code step} for each client concurrently; a client whose step fails with a {@link
     * JointlyException} is dropped (its channel closed). Returns the results of the others, by
     * index, ascending.
     */
    private <T> Map<Integer, T> phase(Iterable<Integer> clients, ClientStep<T> step) {
      Map<Integer, CompletableFuture<T>> futures = new TreeMap<>();
      for (int i : clients) {
        futures.put(i, CompletableFuture.supplyAsync(() -> {
          try {
            return step.run(i);
          } catch (JointlyException e) {
            throw new CompletionException(e);
          }
        }, executor));
      }
      Map<Integer, T> results = new TreeMap<>();
      for (var e : futures.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().join());
        } catch (CompletionException ex) {
          Throwable cause = ex.getCause();
          if (cause instanceof JointlyException) {
            drop(e.getKey());
          } else if (cause instanceof RuntimeException r) {
            throw r;
          } else if (cause instanceof Error err) {
            throw err;
          } else {
            throw ex;
          }
        }
      }
      return results;
    }

    private void drop(int i) {
      live[i] = false;
      channels.get(i).close();
    }

    private void requireLive(int count, String phase) throws ProtocolAbortException {
      Abort.unless(count >= params.minClients(), POLICY_REFUSED,
          "only " + count + " clients remained after " + phase + "; at least " + params.minClients() + " are required");
    }

    private void send(int i, Round round, byte[] body) throws JointlyException {
      sendFramed(i, round, new Wire.Writer(body.length + 1).u8(SecureAggregationClient.STATUS_OK).bytes(body));
    }

    /** Sends a body that already starts with its status byte. */
    private void sendWithStatus(int i, Round round, byte[] bodyWithStatus) throws JointlyException {
      channels.get(i).send(round.key(), Wire.frame(round.key(), bodyWithStatus));
    }

    private void sendFramed(int i, Round round, Wire.Writer w) throws JointlyException {
      channels.get(i).send(round.key(), w.frame(round.key()));
    }

    /** Tells every live client that the run is aborted, then closes every channel it used. */
    void abortAll(int reason) {
      for (int i = 0; i < channels.size(); i++) {
        if (live[i]) {
          try {
            channels.get(i).send(nextDown.key(), Wire.frame(nextDown.key(),
                new byte[] {(byte) SecureAggregationClient.STATUS_ABORTED, (byte) reason}));
          } catch (JointlyException | RuntimeException e) {
            // the client is gone already; closing below is all that is left to do
          }
        }
      }
      joined.forEach(CountingChannel::close);
    }

    private ChannelStats traffic() {
      long bs = 0;
      long br = 0;
      long ms = 0;
      long mr = 0;
      for (CountingChannel c : joined) {
        ChannelStats s = c.stats();
        bs += s.bytesSent();
        br += s.bytesReceived();
        ms += s.messagesSent();
        mr += s.messagesReceived();
      }
      return new ChannelStats(bs, br, ms, mr);
    }
  }
}
