package io.jointly.secagg;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;
import static io.jointly.core.ProtocolAbortException.Reason.POLICY_REFUSED;

import io.jointly.channel.ChannelStats;
import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import io.jointly.group.GroupScalar;
import io.jointly.secagg.internal.MaskPrg;
import io.jointly.secagg.internal.NeighbourGraph;
import io.jointly.secagg.internal.PairwiseCrypto;
import io.jointly.secagg.internal.Shamir;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A client of secure aggregation (Bonawitz et al., CCS 2017, honest-but-curious variant; sparse
 * graph option of Bell et al., CCS 2020): it contributes a vector of reals to a sum that only the
 * server learns, and only over at least {@code minClients} clients.
 *
 * <h2>Rounds (client side)</h2>
 *
 * <ol>
 *   <li>{@code HELLO}: parameters, vector length, layout. {@code SETUP}: the roster, graph,
 *       threshold and sizes, checked against this client's own parameters.
 *   <li>Phase 0, {@code ADVERTISE_KEYS}: two fresh X25519 public keys, c_u (to encrypt shares)
 *       and s_u (to agree pairwise masks). {@code NEIGHBOUR_KEYS}: those of its neighbours.
 *   <li>Phase 1, {@code SHARE_KEYS}: a fresh 256-bit self-mask seed b_u; Shamir t-of-(d + 1)
 *       shares of b_u and of the secret key s_u^SK for itself and each neighbour; each neighbour's
 *       pair encrypted with AES-256-GCM under HKDF(X25519(c_u, c_v)), routed by the server. {@code
 *       SHARES_FOR_YOU}: the neighbours' shares for this client (their senders form U2 ∩ N(u)).
 *   <li>Phase 2, {@code MASKED_INPUT}: {@code y_u = x_u + PRG(b_u) + Σ ±PRG(s_{u,v})} over v ∈ U2
 *       ∩ N(u), in batches ({@link Masking}). {@code SURVIVORS}: U3.
 *   <li>Phase 4, {@code UNMASK}: for each v it holds shares of, the share of b_v if v survived
 *       (v ∈ U3), otherwise the share of s_v^SK — never both for the same v. {@code OUTCOME}.
 * </ol>
 *
 * <p>The client aborts ({@link ProtocolAbortException}) on any malformed or inconsistent server
 * message, if fewer than the threshold of its holders remain, or if fewer than {@code minClients}
 * survived; the server then counts it as dropped.
 *
 * <p>Thread-safety: immutable; {@link #run} blocks its calling thread and may run concurrently for
 * different sessions.
 */
public final class SecureAggregationClient {
  private static final int SHARE_PLAINTEXT = 8 + 2 * Shamir.SHARE_BYTES;
  private static final int SHARE_CIPHERTEXT = SHARE_PLAINTEXT + PairwiseCrypto.TAG_BYTES;

  private final SecureAggregationParameters params;
  private final SecureRandom random;

  public SecureAggregationClient(SecureAggregationParameters params) {
    this(params, new SecureRandom());
  }

  SecureAggregationClient(SecureAggregationParameters params, SecureRandom random) {
    this.params = Objects.requireNonNull(params);
    this.random = Objects.requireNonNull(random);
  }

  public SecureAggregationParameters parameters() {
    return params;
  }

  /**
   * Contributes {@code values} to the sum computed by the server on {@code channel}. The channel's
   * {@link MessageChannel#self()} is this client's name in the roster (its TLS identity on the
   * gRPC transport).
   *
   * @param values this client's vector; every value finite with {@code |x| ≤ maxAbs}
   * @param layout the public description of the vector that every client must share (e.g. keys
   *     and column names); the server checks all are equal and returns it with the sum
   * @return the run's outcome as this client sees it: who was included, no sum
   * @throws io.jointly.core.InputException if a value is not finite or exceeds {@code maxAbs}
   *     (before anything is sent)
   * @throws ProtocolAbortException if the server's messages are inconsistent, too few clients
   *     remain, or the server aborted ({@code PEER_ABORTED})
   * @throws io.jointly.core.ChannelException if the channel fails, times out, or the server counted
   *     this client as dropped and closed it
   */
  public SecureAggregationResult run(double[] values, Bytes layout, MessageChannel channel)
      throws JointlyException {
    Objects.requireNonNull(layout);
    if (values.length < 1 || values.length > SecureAggregationParameters.MAX_VECTOR_LENGTH) {
      throw new IllegalArgumentException("vector length must be 1.." + SecureAggregationParameters.MAX_VECTOR_LENGTH);
    }
    if (layout.length() > Hello.MAX_LAYOUT_BYTES) {
      throw new IllegalArgumentException("layout description exceeds " + Hello.MAX_LAYOUT_BYTES + " bytes");
    }
    long[] x = Masking.encode(values, params.fixedPoint(), params.maxAbs());
    long start = System.nanoTime();
    CountingChannel ch = new CountingChannel(channel);
    Duration wait = params.clientTimeout();

    // HELLO / SETUP
    ch.send(Round.HELLO.key(), Wire.frame(Round.HELLO.key(), Hello.of(params, x.length, layout).body()));
    Setup setup = Setup.read(receive(ch, Round.SETUP, wait));
    int self = checkSetup(setup, ch.self(), x.length, layout);
    int n = setup.size();
    int t = setup.threshold();
    NeighbourGraph graph = setup.graph();
    byte[] salt = setup.runDigest(ch.sessionId());

    GroupScalar c = PairwiseCrypto.newSecretKey(random);
    GroupScalar s = PairwiseCrypto.newSecretKey(random);
    byte[] b = new byte[MaskPrg.SEED_BYTES];
    random.nextBytes(b);
    List<Masking.MaskStream> masks = new ArrayList<>();
    byte[][] sharesHeld = new byte[n][]; // [owner] -> s-share || b-share, for self and senders
    try {
      // Phase 0: AdvertiseKeys
      ch.send(
          Round.ADVERTISE_KEYS.key(),
          new Wire.Writer(64).bytes(PairwiseCrypto.publicKey(c)).bytes(PairwiseCrypto.publicKey(s)).frame(Round.ADVERTISE_KEYS.key()));
      Wire.Reader nk = receive(ch, Round.NEIGHBOUR_KEYS, wait);
      int count = nk.count(0, graph.degree(), "neighbour count");
      int[] u1 = new int[count];
      byte[][] cpk = new byte[n][];
      byte[][] spk = new byte[n][];
      for (int i = 0; i < count; i++) {
        int v = nk.count(0, n - 1, "neighbour index");
        Abort.unlessWellFormed(graph.adjacent(self, v), "the server sent keys of a non-neighbour");
        Abort.unlessWellFormed(i == 0 || u1[i - 1] < v, "neighbour keys are not in ascending order");
        u1[i] = v;
        cpk[v] = nk.bytes(PairwiseCrypto.PUBLIC_KEY_BYTES);
        spk[v] = nk.bytes(PairwiseCrypto.PUBLIC_KEY_BYTES);
      }
      nk.end();
      requireHolders(count + 1, t, "advertised keys");

      // Phase 1: ShareKeys
      int[] holders = withSelf(u1, self);
      int[] xs = new int[holders.length];
      for (int i = 0; i < holders.length; i++) {
        xs[i] = holders[i] + 1;
      }
      byte[] sk = s.toByteArray(SecretAccess.insecure());
      byte[] sShares = Shamir.split(sk, t, xs, random);
      byte[] bShares = Shamir.split(b, t, xs, random);
      PairwiseCrypto.wipe(sk);
      Wire.Writer shares = new Wire.Writer(4 + count * (8 + SHARE_CIPHERTEXT));
      shares.u32(count);
      byte[][] encKey = new byte[n][];
      for (int i = 0; i < holders.length; i++) {
        int v = holders[i];
        byte[] pair = new byte[2 * Shamir.SHARE_BYTES];
        System.arraycopy(sShares, i * Shamir.SHARE_BYTES, pair, 0, Shamir.SHARE_BYTES);
        System.arraycopy(bShares, i * Shamir.SHARE_BYTES, pair, Shamir.SHARE_BYTES, Shamir.SHARE_BYTES);
        if (v == self) {
          sharesHeld[self] = pair;
          continue;
        }
        byte[] agreed = PairwiseCrypto.agree(c, cpk[v]);
        encKey[v] = PairwiseCrypto.derive(agreed, salt, PairwiseCrypto.ENCRYPTION_LABEL);
        PairwiseCrypto.wipe(agreed);
        byte[] plain = ByteBuffer.allocate(SHARE_PLAINTEXT).putInt(self).putInt(v).put(pair).array();
        shares.u32(v).bytes(PairwiseCrypto.seal(encKey[v], nonce(self, v), aad(salt, self, v), plain));
        PairwiseCrypto.wipe(plain, pair);
      }
      PairwiseCrypto.wipe(sShares, bShares);
      ch.send(Round.SHARE_KEYS.key(), shares.frame(Round.SHARE_KEYS.key()));

      Wire.Reader in = receive(ch, Round.SHARES_FOR_YOU, wait);
      int senders = in.count(0, count, "share count");
      int[] u2 = new int[senders];
      for (int i = 0; i < senders; i++) {
        int v = in.count(0, n - 1, "sender index");
        Abort.unlessWellFormed(encKey[v] != null, "the server forwarded shares from a client outside U1 ∩ N(u)");
        Abort.unlessWellFormed(i == 0 || u2[i - 1] < v, "forwarded shares are not in ascending order");
        u2[i] = v;
        byte[] plain = PairwiseCrypto.open(encKey[v], nonce(v, self), aad(salt, v, self), in.bytes(SHARE_CIPHERTEXT));
        ByteBuffer pb = ByteBuffer.wrap(plain);
        Abort.unlessWellFormed(pb.getInt() == v && pb.getInt() == self, "a decrypted share names other clients");
        sharesHeld[v] = Arrays.copyOfRange(plain, 8, plain.length);
        PairwiseCrypto.wipe(plain);
      }
      in.end();
      requireHolders(senders + 1, t, "shared keys");

      // Phase 2: MaskedInputCollection
      masks.add(new Masking.MaskStream(b.clone(), false));
      for (int v : u2) {
        byte[] agreed = PairwiseCrypto.agree(s, spk[v]);
        masks.add(new Masking.MaskStream(
            PairwiseCrypto.derive(agreed, salt, PairwiseCrypto.MASK_LABEL), Masking.pairNegated(self, v)));
        PairwiseCrypto.wipe(agreed);
      }
      long[] batch = new long[Math.min(Masking.BATCH_WORDS, x.length)];
      for (int from = 0, seq = 0; from < x.length; from += Masking.BATCH_WORDS, seq++) {
        int len = Math.min(Masking.BATCH_WORDS, x.length - from);
        System.arraycopy(x, from, batch, 0, len);
        Masking.apply(batch, 0, from, len, masks);
        ch.send(Round.MASKED_INPUT.key(seq), Wire.words(Round.MASKED_INPUT.key(seq), batch, 0, len));
      }
      Arrays.fill(batch, 0);
      Arrays.fill(x, 0);

      Wire.Reader sv = receive(ch, Round.SURVIVORS, wait);
      int survivors = sv.count(setup.minClients(), n, "survivor count");
      boolean[] inU3 = new boolean[n];
      for (int i = 0, prev = -1; i < survivors; i++) {
        int v = sv.count(0, n - 1, "survivor index");
        Abort.unlessWellFormed(v > prev, "survivors are not in ascending order");
        prev = v;
        inU3[v] = true;
      }
      sv.end();
      Abort.unlessWellFormed(inU3[self], "this client is missing from the survivors");
      for (int v : graph.neighbours(self)) {
        Abort.unlessWellFormed(!inU3[v] || sharesHeld[v] != null, "a survivor never shared its keys");
      }

      // Phase 4: Unmasking
      int[] owners = withSelf(u2, self);
      Wire.Writer un = new Wire.Writer(4 + owners.length * (5 + Shamir.SHARE_BYTES));
      un.u32(owners.length);
      for (int v : owners) {
        boolean survived = inU3[v];
        un.u32(v).u8(survived ? SHARE_OF_B : SHARE_OF_S);
        un.bytes(Arrays.copyOfRange(sharesHeld[v], survived ? Shamir.SHARE_BYTES : 0,
            survived ? 2 * Shamir.SHARE_BYTES : Shamir.SHARE_BYTES));
      }
      ch.send(Round.UNMASK.key(), un.frame(Round.UNMASK.key()));

      Wire.Reader out = receive(ch, Round.OUTCOME, wait);
      int included = out.count(setup.minClients(), n, "included count");
      List<String> in3 = new ArrayList<>();
      boolean[] mark = new boolean[n];
      for (int i = 0; i < included; i++) {
        int v = out.count(0, n - 1, "included index");
        Abort.unlessWellFormed(inU3[v] && !mark[v], "the outcome names a client that was not a survivor");
        mark[v] = true;
        in3.add(setup.roster().get(v));
      }
      out.end();
      List<String> dropped = new ArrayList<>();
      for (int v = 0; v < n; v++) {
        if (!mark[v]) {
          dropped.add(setup.roster().get(v));
        }
      }
      ChannelStats traffic = ch.stats();
      return new SecureAggregationResult(
          null,
          params.fixedPoint(),
          in3,
          dropped,
          layout,
          t,
          setup.degree(),
          traffic,
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      c.destroy();
      s.destroy();
      PairwiseCrypto.wipe(b);
      masks.forEach(Masking.MaskStream::wipe);
      for (byte[] held : sharesHeld) {
        PairwiseCrypto.wipe(held);
      }
    }
  }

  /** Share kinds in {@link Round#UNMASK}. */
  static final int SHARE_OF_B = 0;

  static final int SHARE_OF_S = 1;

  /** Status byte opening every server message: continue, or aborted with a reason code. */
  static final int STATUS_OK = 0;

  static final int STATUS_ABORTED = 1;

  /** Abort reason codes sent by the server. */
  static final int ABORT_TOO_FEW = 1;

  static final int ABORT_MISMATCH = 2;

  static final int ABORT_FAILED = 3;

  /** Receives a server message, turning an abort notice into {@code PEER_ABORTED}. */
  private static Wire.Reader receive(MessageChannel ch, Round round, Duration wait) throws JointlyException {
    Wire.Reader r = Wire.open(round.key(), ch.receive(round.key(), wait));
    int status = r.u8();
    if (status == STATUS_ABORTED) {
      int reason = r.u8();
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.PEER_ABORTED,
          "the server aborted the run: "
              + switch (reason) {
                case ABORT_TOO_FEW -> "too few clients remained";
                case ABORT_MISMATCH -> "the clients' parameters or layouts disagree";
                default -> "it could not complete";
              });
    }
    Abort.unlessWellFormed(status == STATUS_OK, "unknown status in " + round);
    return r;
  }

  private int checkSetup(Setup setup, String selfName, int length, Bytes layout) throws ProtocolAbortException {
    int n = setup.size();
    int self = setup.roster().indexOf(selfName);
    Abort.unlessWellFormed(self >= 0, "this client is not in the server's roster");
    Abort.unless(
        setup.fractionalBits() == params.fixedPoint().fractionalBits()
            && Double.compare(setup.maxAbs(), params.maxAbs()) == 0
            && Double.compare(setup.maxAbs(), params.maxAbs()) == 0,
        HANDSHAKE_MISMATCH,
        "the server's encoding or value bound differs from this client's");
    // The server decides the counts; this client accepts them if they are sound and within its
    // own limits: no more clients than its overflow bound allows, no fewer than its own minimum.
    Abort.unless(
        setup.expectedClients() >= 2 && setup.expectedClients() <= params.expectedClients(),
        HANDSHAKE_MISMATCH,
        "the server expects " + setup.expectedClients() + " clients, more than this client's limit of "
            + params.expectedClients());
    Abort.unless(
        setup.minClients() >= params.minClients()
            && setup.minClients() >= Math.max(2, params.graph().threshold(setup.expectedClients())),
        POLICY_REFUSED,
        "the server's minimum of " + setup.minClients() + " clients is below this client's floor of "
            + Math.max(params.minClients(), params.graph().threshold(setup.expectedClients())));
    Abort.unless(setup.vectorLength() == length, HANDSHAKE_MISMATCH,
        "vector length: server " + setup.vectorLength() + ", this client " + length);
    Abort.unless(
        setup.layoutDigest().equals(Bytes.wrap(Setup.sha256(layout.toByteArray()))),
        HANDSHAKE_MISMATCH,
        "the agreed layout differs from this client's");
    Abort.unless(n <= setup.expectedClients(), HANDSHAKE_MISMATCH, "the roster is larger than expected");
    Abort.unless(n >= setup.minClients(), POLICY_REFUSED,
        "the roster of " + n + " is below the minimum of " + setup.minClients() + " clients");
    Abort.unless(
        setup.degree() == params.graph().degreeFor(n) && setup.threshold() == params.threshold(n),
        HANDSHAKE_MISMATCH,
        "the server's graph degree or threshold differs from this client's parameters");
    return self;
  }

  private static void requireHolders(int live, int t, String phase) throws ProtocolAbortException {
    Abort.unless(live >= t, POLICY_REFUSED,
        "only " + live + " of this client's share holders remain after " + phase + "; the threshold is " + t);
  }

  private static int[] withSelf(int[] sorted, int self) {
    int[] out = Arrays.copyOf(sorted, sorted.length + 1);
    out[sorted.length] = self;
    Arrays.sort(out);
    return out;
  }

  static byte[] nonce(int from, int to) {
    return ByteBuffer.allocate(12).putInt(from).putInt(to).putInt(0).array();
  }

  static byte[] aad(byte[] salt, int from, int to) {
    return ByteBuffer.allocate(salt.length + 8).put(salt).putInt(from).putInt(to).array();
  }
}
