package io.jointly.psi.vole;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.Parallel;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import io.jointly.group.EcdhGroups;
import io.jointly.okvs.Okvs;
import io.jointly.okvs.OkvsParameters;
import io.jointly.ot.BaseOt;
import io.jointly.ot.Iknp;
import io.jointly.ot.IknpReceiver;
import io.jointly.ot.IknpSender;
import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiListener;
import io.jointly.psi.PsiProtocol;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.RunStats;
import io.jointly.psi.pipeline.ChannelOpener;
import io.jointly.psi.pipeline.PipelineOptions;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.pipeline.RowSource;
import io.jointly.psi.pipeline.RowSources;
import io.jointly.psi.pipeline.SharedRowSink;
import io.jointly.psi.pipeline.internal.CheckpointStore;
import io.jointly.psi.pipeline.internal.ExternalSorter;
import io.jointly.psi.pipeline.internal.PreparedSet;
import io.jointly.psi.pipeline.internal.RecordCursor;
import io.jointly.psi.pipeline.internal.RunContext;
import io.jointly.symmetric.AesPrg;
import io.jointly.symmetric.Blocks;
import io.jointly.symmetric.FixedKeyAes;
import io.jointly.vole.Gf128Multiplier;
import io.jointly.vole.SilentVole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One party of VOLE PSI: the semi-honest protocol of Raghuraman and Rindal, "Blazing Fast PSI from
 * Improved OKVS and Subfield VOLE", ACM CCS 2022 (RR22), Fig. 4, which improves Rindal and
 * Schoppmann, "VOLE-PSI: Fast OPRF and Circuit-PSI from Vector-OLE", EUROCRYPT 2021. The bank is
 * the receiver (it learns the intersection), the partner the sender. The package documentation
 * ({@code package-info.java}) gives the protocol step by step with its parameters, security model
 * and costs.
 *
 * <p>Thread-safety: an instance is immutable and may run several sessions concurrently, each on its
 * own calling thread; {@link #run} blocks that thread and uses the executor for hashing, encoding
 * and decoding.
 */
public final class VolePsi {
  /** The protocol name in round keys. */
  public static final String PROTOCOL = "vole-psi";

  /** SETUP: the session seed, the OKVS seed and the base-OT sender's first message. */
  static final int SETUP_BYTES = 16 + 16 + 32;

  /** Base OTs: one per bit of the IKNP secret Δ. */
  static final int BASE_OTS = Iknp.KAPPA;

  /** Rounds, with explicit wire codes. */
  enum Round {
    HELLO(1),
    /** Bank → partner: the session seed, the OKVS seed and the base-OT sender's first message. */
    SETUP(2),
    /** Partner → bank: the base-OT receiver's elements. */
    BASE_OT(3),
    /** Bank → partner: the IKNP seed pairs, each padded by its base-OT key. */
    SEEDS(4),
    /** Bank → partner: the IKNP matrix U of one VOLE chunk. */
    EXTEND(5),
    /** Partner → bank: the GGM tree messages and corrections of one VOLE chunk. */
    TREES(6),
    /** Bank → partner: {@code A' = A + P} in frames, chunk after chunk (frames numbered across chunks). */
    MASKED(7),
    /** Partner → bank: the outputs of its items in frames, in a fresh random order. */
    OUTPUTS(8),
    /** Bank → partner, {@code both} mode: matched positions, in frames. */
    MATCHES(9),
    CONFIRM(10);

    final int wireCode;

    Round(int wireCode) {
      this.wireCode = wireCode;
    }

    RoundKey key(int sequence) {
      return new RoundKey(PROTOCOL, wireCode, sequence);
    }
  }

  private final PsiRole role;
  private final VolePsiParameters params;
  private final Executor executor;
  private final int parallelism;
  private final PsiListener listener;
  private final SecureRandom random;
  private final PipelineOptions options;
  private final Parallel threads;

  /**
   * @param role this party's role (the bank receives the intersection)
   * @param params the parameters (the peer must agree on the shared ones)
   * @param executor runs hashing, encoding, decoding and sorts; never the common pool
   * @param parallelism how many chunks to split per-item work into (usually the executor's threads)
   */
  public VolePsi(PsiRole role, VolePsiParameters params, Executor executor, int parallelism) {
    this(role, params, executor, parallelism, PsiListener.NONE, new SecureRandom(), PipelineOptions.DEFAULTS);
  }

  private VolePsi(
      PsiRole role,
      VolePsiParameters params,
      Executor executor,
      int parallelism,
      PsiListener listener,
      SecureRandom random,
      PipelineOptions options) {
    this.role = Objects.requireNonNull(role);
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.parallelism = parallelism;
    this.listener = Objects.requireNonNull(listener);
    this.random = Objects.requireNonNull(random);
    this.options = Objects.requireNonNull(options);
    this.threads = new Parallel(executor, parallelism);
  }

  /** The same party reporting progress to {@code listener}. */
  public VolePsi withListener(PsiListener listener) {
    return new VolePsi(role, params, executor, parallelism, listener, random, options);
  }

  /**
   * The same party with these memory, work-directory and checkpoint options. A VOLE PSI run keeps
   * no protocol state across a restart (see the package documentation): with a checkpoint key, a
   * resumed run reuses the prepared input and runs the protocol again from its handshake.
   */
  public VolePsi withOptions(PipelineOptions options) {
    return new VolePsi(role, params, executor, parallelism, listener, random, options);
  }

  public PsiRole role() {
    return role;
  }

  public VolePsiParameters parameters() {
    return params;
  }

  private CheckpointStore.Binding binding() {
    return new CheckpointStore.Binding(PROTOCOL, role.wireCode(), params.digest());
  }

  /**
   * Normalises, validates and de-duplicates this party's identifiers, before any connection. Close
   * the result (or run it, which deletes its work files when it succeeds).
   *
   * @throws InputException naming the first bad row (never its value)
   */
  public PreparedInput prepare(PsiInput input) throws InputException {
    return prepare(RowSources.of(input));
  }

  /**
   * Reads and prepares this party's rows in one pass through the PSI pipeline ({@link
   * io.jointly.psi.pipeline}), within its memory budget; with {@link PipelineOptions#resume()},
   * restores the prepared input of an interrupted run after checking it against this input and
   * these parameters.
   *
   * @throws InputException naming the first bad row (never its value), a malformed source, an
   *     unusable work directory or a checkpoint that does not fit
   */
  public PreparedInput prepare(RowSource source) throws InputException {
    return PreparedInput.prepare(
        source, params.identifierSettings(), binding(), options, executor, parallelism, listener, random);
  }

  /** {@link #prepare} then {@link #run(PreparedInput, MessageChannel)}. */
  public PsiResult run(PsiInput input, MessageChannel channel) throws JointlyException {
    try (PreparedInput prepared = prepare(input)) {
      return run(prepared, channel);
    }
  }

  /**
   * Runs the protocol with the peer on {@code channel} (which the caller closes) and returns the
   * shared rows and the {@link PsiAlignment} in memory.
   *
   * @throws ProtocolAbortException if the peer disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public PsiResult run(PreparedInput prepared, MessageChannel channel) throws JointlyException {
    return runCore(prepared, () -> channel, false, new Collector());
  }

  /**
   * The streaming form, as {@link io.jointly.psi.ecdh.EcdhPsi}'s: runs the protocol with the peer
   * on a channel from {@code opener} (closed by the run) and hands this party's shared rows, in
   * increasing order, to {@code sink} (if the reveal mode gives them to this party). The result
   * carries counts, not rows. On success the work directory is deleted.
   *
   * @throws InputException if the work directory fails, or the sink's output cannot be written
   * @throws ProtocolAbortException if the peer disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public PsiResult run(PreparedInput prepared, ChannelOpener opener, SharedRowSink sink) throws JointlyException {
    Objects.requireNonNull(sink, "sink");
    return runCore(prepared, opener, true, new Streamed(sink));
  }

  // ------------------------------------------------------------------ output of a run

  /** Where the shared rows go. */
  private interface Output {
    void row(long row, long peerPosition, boolean firstOfItem) throws IOException;

    /** The alignment, given the sender view (send position → first row). */
    PsiAlignment alignment(int[] sentRows);

    Optional<RowIndexes> rows();
  }

  /** Collects rows and the alignment in memory. */
  private static final class Collector implements Output {
    private int[] rows = new int[16];
    private int n;
    private int[] first = new int[16];
    private int[] peer = new int[16];
    private int m;

    @Override
    public void row(long row, long peerPosition, boolean firstOfItem) {
      if (n == rows.length) {
        rows = Arrays.copyOf(rows, n * 2);
      }
      rows[n++] = Math.toIntExact(row);
      if (firstOfItem) {
        if (m == first.length) {
          first = Arrays.copyOf(first, m * 2);
          peer = Arrays.copyOf(peer, m * 2);
        }
        first[m] = Math.toIntExact(row);
        peer[m++] = Math.toIntExact(peerPosition);
      }
    }

    @Override
    public PsiAlignment alignment(int[] sentRows) {
      return PsiAlignment.of(sentRows, Arrays.copyOf(first, m), Arrays.copyOf(peer, m));
    }

    @Override
    public Optional<RowIndexes> rows() {
      return Optional.of(RowIndexes.ofSortedUnique(Arrays.copyOf(rows, n)));
    }
  }

  /** Hands rows to the caller's sink. */
  private record Streamed(SharedRowSink sink) implements Output {
    @Override
    public void row(long row, long peerPosition, boolean firstOfItem) throws IOException {
      sink.accept(row);
    }

    @Override
    public PsiAlignment alignment(int[] sentRows) {
      return PsiAlignment.of(new int[0], new int[0], new int[0]);
    }

    @Override
    public Optional<RowIndexes> rows() {
      return Optional.empty();
    }
  }

  /** A sink failure, told apart from the work directory's. */
  private static final class SinkFailure extends IOException {
    private static final long serialVersionUID = 1L;

    SinkFailure(IOException cause) {
      super(cause);
    }
  }

  // ------------------------------------------------------------------ the run

  private PsiResult runCore(PreparedInput prepared, ChannelOpener opener, boolean ownsChannel, Output out)
      throws JointlyException {
    if (!prepared.bindingDigest().equals(params.digest())) {
      throw new IllegalArgumentException("input was prepared with other parameters");
    }
    RunContext ctx = prepared.context();
    boolean agreed = false;
    try {
      long n = ctx.set.size();
      if (n > VolePsiParameters.MAX_SET_SIZE) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT,
            -1,
            "VOLE PSI takes at most " + VolePsiParameters.MAX_SET_SIZE + " distinct identifiers per party, not " + n);
      }
      // The OKVS is one linear system over the whole set, cut into bins by a seed the bank draws
      // in the run: the items are held in memory (about 16 bytes each beyond their encodings).
      ctx.clock.start("load");
      byte[][] items = new byte[(int) n][];
      try (PreparedSet.ItemReader r = ctx.set.items()) {
        for (int i = 0; i < items.length; i++) {
          items[i] = r.next();
        }
      }
      ctx.clock.start("connect");
      MessageChannel channel = opener.open();
      Exchanged x;
      try {
        ctx.clock.start("protocol");
        x = exchange(channel, items);
        agreed = true;
      } finally {
        if (ownsChannel) {
          channel.close();
        }
      }
      PsiResult r = finish(ctx, x, out);
      ctx.succeeded();
      return r;
    } catch (SinkFailure e) {
      IOException cause = (IOException) e.getCause();
      throw new InputException(
          InputException.Kind.WORK_DIR, -1, "writing the shared rows failed: " + describe(cause), cause);
    } catch (IOException | UncheckedIOException e) {
      if (agreed) {
        ctx.keepForResume();
      }
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      throw new InputException(
          InputException.Kind.WORK_DIR, -1, "work directory " + ctx.dir.path() + ": " + describe(cause), cause);
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** What the exchange with the peer gave. */
  private record Exchanged(Outcome outcome, long peerSetSize, io.jointly.channel.ChannelStats traffic, long start) {}

  private Exchanged exchange(MessageChannel channel, byte[][] items) throws JointlyException {
    long start = System.nanoTime();
    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    VoleHello mine =
        new VoleHello(
            VoleHello.VERSION,
            role,
            params.profile(),
            params.keyColumns(),
            params.revealMode(),
            params.statisticalSecurity(),
            params.okvsBinItems(),
            params.vole(),
            items.length,
            params.minPeerSetSize());
    tx.send(Round.HELLO.key(0), mine.encode());
    VoleHello peer = VoleHello.decode(tx.receive(Round.HELLO.key(0), params.receiveTimeout()));
    mine.checkAgainst(peer);
    listener.onHandshake(items.length, peer.setSize());
    Run r = new Run(tx, items, (int) peer.setSize());
    Outcome outcome = role == PsiRole.BANK ? r.receiver() : r.sender();
    tx.confirm(Round.CONFIRM.key(0), params.receiveTimeout());
    return new Exchanged(outcome, peer.setSize(), counting.stats(), start);
  }

  /**
   * The shared rows of the matched items, in increasing row order (the pipeline's rows of each
   * position, sorted within the memory budget), and the result.
   */
  private PsiResult finish(RunContext ctx, Exchanged x, Output out) throws IOException {
    ctx.clock.start("match");
    Outcome o = x.outcome;
    boolean learns = params.revealMode().revealsRowsTo(role);
    long sharedRows = 0;
    if (learns) {
      long work = ctx.budget.workArea();
      try (ExternalSorter shared = new ExternalSorter("shared", ctx.dir, ctx.budget, 17, 8, work, executor, parallelism)) {
        byte[] rec = new byte[17];
        ctx.set.emitRows(
            new MatchCursor(o.peerPosition),
            (row, q, first) -> {
              putLong(rec, 0, row);
              putLong(rec, 8, q);
              rec[16] = (byte) (first ? 1 : 0);
              shared.add(rec, 0, 17);
            });
        try (RecordCursor c = shared.sorted()) {
          while (c.next()) {
            byte[] b = c.buffer();
            int at = c.offset();
            try {
              out.row(getLong(b, at), getLong(b, at + 8), b[at + 16] != 0);
            } catch (IOException e) {
              throw new SinkFailure(e);
            }
            sharedRows++;
          }
        }
      }
    }
    PsiAlignment alignment = PsiAlignment.of(new int[0], new int[0], new int[0]);
    if (out instanceof Collector) {
      int[] first = ctx.set.firstRows();
      int[] sentRows = new int[o.order.length];
      for (int p = 0; p < o.order.length; p++) {
        sentRows[p] = first[o.order[p]];
      }
      alignment = out.alignment(sentRows);
    }
    ctx.clock.stop();
    ctx.sampleHeap();
    RunStats stats =
        new RunStats(
            parallelism,
            ctx.budget.total(),
            RunContext.peakHeapUsed(),
            ctx.peakLiveHeap(),
            ctx.dir.peakBytes(),
            ctx.clock.stages(),
            ctx.resumes());
    return new PsiResult(
        role,
        PsiProtocol.VOLE,
        params.revealMode(),
        Optional.empty(),
        learns ? out.rows() : Optional.empty(),
        learns ? OptionalLong.of(sharedRows) : OptionalLong.empty(),
        learns ? OptionalLong.of(o.intersection) : OptionalLong.empty(),
        o.shared.length,
        x.peerSetSize,
        new PsiResult.InputSummary(ctx.set.rowCount(), ctx.set.invalidSkipped(), ctx.set.duplicateRows()),
        x.traffic,
        Duration.ofNanos(System.nanoTime() - x.start),
        alignment,
        stats);
  }

  /** The matches (own position, peer position) in increasing own position, as 16-byte records. */
  private static final class MatchCursor implements RecordCursor {
    private final int[] peerPosition;
    private final byte[] rec = new byte[16];
    private int next;

    MatchCursor(int[] peerPosition) {
      this.peerPosition = peerPosition;
    }

    @Override
    public boolean next() {
      while (next < peerPosition.length && peerPosition[next] < 0) {
        next++;
      }
      if (next == peerPosition.length) {
        return false;
      }
      putLong(rec, 0, next);
      putLong(rec, 8, peerPosition[next]);
      next++;
      return true;
    }

    @Override
    public byte[] buffer() {
      return rec;
    }

    @Override
    public int offset() {
      return 0;
    }

    @Override
    public int length() {
      return 16;
    }

    @Override
    public void close() {}
  }

  private static void putLong(byte[] b, int at, long v) {
    ByteBuffer.wrap(b).putLong(at, v);
  }

  private static long getLong(byte[] b, int at) {
    return ByteBuffer.wrap(b).getLong(at);
  }

  /** Per item: shared or not, the peer's position of a shared item, and this party's send order. */
  private record Outcome(boolean[] shared, int[] peerPosition, int[] order, long intersection) {}

  /** The state of one run; both roles' steps, in protocol order. */
  private final class Run {
    final TranscriptChannel tx;
    final byte[][] own;
    final int nOwn;
    final int nPeer;
    final int nx;
    final int ny;
    final int ell;
    final int bytes;
    final Duration timeout = params.receiveTimeout();
    final int frame = params.frameItems();
    final OkvsParameters okvs;
    /** OKVS bins per VOLE chunk: a chunk covers whole bins, at most {@code maximumOutputs} entries. */
    final int binsPerChunk;
    final int chunks;
    final int binSize;

    Run(TranscriptChannel tx, byte[][] own, int nPeer) {
      this.tx = tx;
      this.own = own;
      this.nOwn = own.length;
      this.nPeer = nPeer;
      this.nx = role == PsiRole.BANK ? nOwn : nPeer;
      this.ny = role == PsiRole.BANK ? nPeer : nOwn;
      this.ell = VolePsiMath.valueBits(params.statisticalSecurity(), nx, ny);
      this.bytes = ell / 8;
      this.okvs = OkvsParameters.forItems(nx, params.statisticalSecurity(), params.okvsBinItems());
      int bins = okvs.dense() ? 1 : okvs.bins();
      this.binSize = okvs.dense() ? okvs.size() : okvs.binSize();
      this.binsPerChunk = Math.max(1, params.vole().maximumOutputs() / binSize);
      this.chunks = ceilDiv(bins, binsPerChunk);
    }

    int binFrom(int c) {
      return c * binsPerChunk;
    }

    int binTo(int c) {
      return Math.min(okvs.dense() ? 1 : okvs.bins(), (c + 1) * binsPerChunk);
    }

    /** OKVS entries of chunk c, the outputs its VOLE must give. */
    int entries(int c) {
      return (binTo(c) - binFrom(c)) * binSize;
    }

    /** Chunk 0 takes its base VOLE from OTs, every later one from the chunk before. */
    SilentVole.Shape shape(int c) {
      return SilentVole.Shape.of(entries(c), ell, params.vole(), c > 0);
    }

    byte[] sessionTag(byte[] seed) {
      MessageDigest d = VolePsiMath.sha256();
      d.update("jointly/vole-psi/v1/base-ot".getBytes(StandardCharsets.US_ASCII));
      d.update(tx.sessionId().getBytes(StandardCharsets.UTF_8));
      d.update(seed);
      return d.digest();
    }

    byte[] codeSeed(byte[] seed, int chunk) {
      MessageDigest d = VolePsiMath.sha256();
      d.update("jointly/vole-psi/v1/code".getBytes(StandardCharsets.US_ASCII));
      d.update(seed);
      d.update(ByteBuffer.allocate(4).putInt(chunk).array());
      return Arrays.copyOf(d.digest(), 16);
    }

    /**
     * A party's items hashed under the session seed: keys and OKVS values in item order (the order
     * the items sit in memory), grouped by OKVS bin ({@code index[chunkStart[c] .. chunkStart[c +
     * 1])} are the items of chunk c's bins, increasing).
     */
    Hashed hash(byte[] seed, byte[] okvsSeed) {
      // Runs on the executor beside the protocol thread, so it does not split itself further.
      byte[] keys = Blocks.allocate(nOwn);
      VolePsiMath.itemKeys(own, null, seed, 0, nOwn, keys);
      byte[] values = Blocks.allocate(nOwn);
      VolePsiMath.values(VolePsiMath.permutation(seed, "value"), keys, 0, nOwn, ell, values);
      int[] bins = new Okvs(okvs, okvsSeed).bins(keys, nOwn, Parallel.SEQUENTIAL);
      int[] chunkStart = new int[chunks + 1];
      for (int i = 0; i < nOwn; i++) {
        chunkStart[bins[i] / binsPerChunk + 1]++;
      }
      for (int c = 0; c < chunks; c++) {
        chunkStart[c + 1] += chunkStart[c];
      }
      int[] fill = Arrays.copyOf(chunkStart, chunks);
      int[] index = new int[nOwn];
      for (int i = 0; i < nOwn; i++) {
        index[fill[bins[i] / binsPerChunk]++] = i;
      }
      return new Hashed(keys, values, index, chunkStart);
    }

    /** The bank: encodes its items, receives the VOLE, masks, matches the partner's outputs. */
    Outcome receiver() throws JointlyException {
      listener.onProgress(PsiListener.Stage.BLIND_OWN, 0, nOwn);
      listener.onProgress(PsiListener.Stage.MATCH, 0, nPeer);
      byte[] seed = new byte[16];
      random.nextBytes(seed);
      byte[] okvsSeed = new byte[16];
      random.nextBytes(okvsSeed);
      int[] order = randomPermutation(nOwn);

      // Hash own items while the OTs run.
      CompletableFuture<Hashed> hashed = CompletableFuture.supplyAsync(() -> hash(seed, okvsSeed), executor);

      BaseOt.Sender base = new BaseOt.Sender(EcdhGroups.ristretto255(), sessionTag(seed), random);
      byte[] setup = new byte[SETUP_BYTES];
      System.arraycopy(seed, 0, setup, 0, 16);
      System.arraycopy(okvsSeed, 0, setup, 16, 16);
      System.arraycopy(base.firstMessage(), 0, setup, 32, 32);
      tx.send(Round.SETUP.key(0), Bytes.wrap(setup));
      byte[][][] keys = base.keys(tx.receive(Round.BASE_OT.key(0), timeout).toByteArray(), BASE_OTS);
      IknpReceiver iknp = new IknpReceiver(random);
      SilentVole.ReceiverBase next = null;
      try {
        byte[] pads = new byte[BASE_OTS * 2 * 16];
        for (int j = 0; j < BASE_OTS; j++) {
          for (int bit = 0; bit < 2; bit++) {
            byte[] s = iknp.baseOtMessage(j, bit, SecretAccess.insecure());
            for (int k = 0; k < 16; k++) {
              pads[(2 * j + bit) * 16 + k] = (byte) (s[k] ^ keys[j][bit][k]);
            }
            Arrays.fill(s, (byte) 0);
            Arrays.fill(keys[j][bit], (byte) 0);
          }
        }
        tx.send(Round.SEEDS.key(0), Bytes.wrap(pads));

        // All chunks' OT extensions first (the choices do not depend on earlier chunks), so the
        // partner never waits for them.
        SilentVole.Receiver[] voles = new SilentVole.Receiver[chunks];
        IknpReceiver.Extension[] exts = new IknpReceiver.Extension[chunks];
        for (int c = 0; c < chunks; c++) {
          voles[c] = new SilentVole.Receiver(shape(c), codeSeed(seed, c), random, threads);
          exts[c] = iknp.extend(c + 1, voles[c].choices(), shape(c).cots());
          tx.send(Round.EXTEND.key(c), exts[c].message());
        }

        Hashed h = join(hashed);
        Okvs store = new Okvs(okvs, okvsSeed);
        byte[] mine = new byte[nOwn * bytes];
        FixedKeyAes outHash = VolePsiMath.permutation(seed, "out");
        int maskedFrame = 0;
        for (int c = 0; c < chunks; c++) {
          SilentVole.Receiver vole = voles[c];
          byte[] trees = tx.receive(Round.TREES.key(c), timeout).toByteArray();
          if (c == 0) {
            vole.finish(exts[c].rows(), trees, c + 1);
          } else {
            vole.finish(exts[c].rows(), trees, c + 1, next);
          }
          for (long[] row : exts[c].rows()) {
            Arrays.fill(row, 0L);
          }
          exts[c] = null;
          voles[c] = null;
          next = c + 1 < chunks ? vole.reserved() : null;

          // P for this chunk's bins, then A' = A + P in frames.
          int from = h.chunkStart[c];
          int count = h.chunkStart[c + 1] - from;
          byte[] k = h.gather(h.keys, from, count);
          byte[] v = h.gather(h.values, from, count);
          int len = entries(c);
          byte[] p = Blocks.allocate(len);
          if (!store.encodeBins(k, v, count, binFrom(c), binTo(c), p, threads)) {
            // Probability at most 2^-λ over the whole store (OkvsParameters).
            throw new IllegalStateException("the OKVS failed to encode (probability at most 2^-" + params.statisticalSecurity() + ")");
          }
          Arrays.fill(v, (byte) 0);
          byte[] a = vole.a();
          Blocks.xorRange(a, 0, p, 0, len);
          Arrays.fill(p, (byte) 0);
          for (int f = 0; f < ceilDiv(len, frame); f++) {
            int at = f * frame;
            int n = Math.min(frame, len - at);
            byte[] out = new byte[n * bytes];
            VolePsiMath.pack(a, at, n, bytes, out, 0);
            tx.send(Round.MASKED.key(maskedFrame++), Bytes.wrap(out));
          }
          Arrays.fill(a, (byte) 0);

          // Own outputs H^o(Decode(C, x)) of this chunk's items.
          byte[] cVec = vole.c();
          byte[] z = Blocks.allocate(count);
          store.decodeBins(cVec, binFrom(c), binTo(c), k, count, z, threads);
          Arrays.fill(cVec, (byte) 0);
          byte[] o = new byte[count * bytes];
          VolePsiMath.outputs(outHash, z, 0, count, bytes, Blocks.allocate(count), o, 0);
          for (int i = 0; i < count; i++) {
            System.arraycopy(o, i * bytes, mine, h.index[from + i] * bytes, bytes);
          }
          Arrays.fill(z, (byte) 0);
          listener.onProgress(PsiListener.Stage.BLIND_OWN, (long) from + count, nOwn);
        }
        h.destroy();
        MatchTable table = new MatchTable(mine, nOwn, bytes);

        int[] peerPosition = new int[nOwn];
        Arrays.fill(peerPosition, -1);
        long intersection = 0;
        int outFrames = ceilDiv(nPeer, frame);
        for (int f = 0; f < outFrames; f++) {
          int from = f * frame;
          int count = Math.min(frame, nPeer - from);
          Bytes payload = tx.receive(Round.OUTPUTS.key(f), timeout);
          Abort.unlessWellFormed(
              payload.length() == (long) count * bytes,
              "OUTPUTS frame " + f + " has " + payload.length() + " bytes, expected " + (long) count * bytes);
          byte[] values = payload.toByteArray();
          for (int i = 0; i < count; i++) {
            int item = table.find(values, i * bytes);
            if (item >= 0) {
              // Distinct items give distinct outputs except with probability ≤ 2^-λ; a repeat means
              // the peer sent an item twice, which would also break the peer-position alignment.
              Abort.unlessWellFormed(peerPosition[item] < 0, "OUTPUTS frame " + f + " repeats a value");
              peerPosition[item] = from + i;
              intersection++;
            }
          }
          listener.onProgress(PsiListener.Stage.MATCH, (long) from + count, nPeer);
        }
        boolean[] shared = new boolean[nOwn];
        for (int i = 0; i < nOwn; i++) {
          shared[i] = peerPosition[i] >= 0;
        }
        if (params.revealMode() == RevealMode.BOTH) {
          sendMatches(peerPosition, order, intersection);
        }
        return new Outcome(shared, peerPosition, order, intersection);
      } finally {
        iknp.destroy();
        if (next != null) {
          next.destroy();
        }
      }
    }

    /** {@code both} mode: the partner positions that matched, each with this bank's position. */
    void sendMatches(int[] peerPosition, int[] order, long intersection) throws JointlyException {
      int[] positionOf = new int[nOwn];
      for (int p = 0; p < nOwn; p++) {
        positionOf[order[p]] = p;
      }
      // Pairs sorted by partner position: walk the partner positions in order.
      int[] itemAt = new int[nPeer];
      Arrays.fill(itemAt, -1);
      for (int item = 0; item < nOwn; item++) {
        if (peerPosition[item] >= 0) {
          itemAt[peerPosition[item]] = item;
        }
      }
      int total = (int) intersection;
      int frames = Math.max(1, ceilDiv(total, frame));
      int next = 0;
      for (int f = 0; f < frames; f++) {
        int count = Math.min(frame, total - f * frame);
        ByteBuffer b = ByteBuffer.allocate((f == 0 ? 4 : 0) + 8 * count);
        if (f == 0) {
          b.putInt(total);
        }
        for (int i = 0; i < count; i++) {
          while (itemAt[next] < 0) {
            next++;
          }
          b.putInt(next).putInt(positionOf[itemAt[next]]);
          next++;
        }
        tx.send(Round.MATCHES.key(f), Bytes.wrap(b.array()));
      }
    }

    /** The partner: sends the VOLE, unmasks, decodes its items and sends their outputs. */
    Outcome sender() throws JointlyException {
      listener.onProgress(PsiListener.Stage.BLIND_OWN, 0, nOwn);
      if (params.revealMode() == RevealMode.BOTH) {
        listener.onProgress(PsiListener.Stage.MATCH, 0, nOwn);
      }
      byte[] setup = tx.receive(Round.SETUP.key(0), timeout).toByteArray();
      Abort.unlessWellFormed(
          setup.length == SETUP_BYTES, "SETUP has " + setup.length + " bytes, expected " + SETUP_BYTES);
      byte[] seed = Arrays.copyOf(setup, 16);
      byte[] okvsSeed = Arrays.copyOfRange(setup, 16, 32);
      int[] order = randomPermutation(nOwn);
      int[] positionOf = new int[nOwn];
      for (int p = 0; p < nOwn; p++) {
        positionOf[order[p]] = p;
      }
      // Keys and OKVS values of own items while the OTs run.
      CompletableFuture<Hashed> hashed = CompletableFuture.supplyAsync(() -> hash(seed, okvsSeed), executor);

      IknpSender iknp = new IknpSender(random);
      Gf128Multiplier delta = null;
      try {
        boolean[] choices = new boolean[BASE_OTS];
        for (int j = 0; j < BASE_OTS; j++) {
          choices[j] = iknp.baseOtChoice(j, SecretAccess.insecure()) == 1;
        }
        BaseOt.Receiver baseOt = new BaseOt.Receiver(EcdhGroups.ristretto255(), sessionTag(seed), choices, random);
        tx.send(Round.BASE_OT.key(0), Bytes.wrap(baseOt.respond(Arrays.copyOfRange(setup, 32, SETUP_BYTES))));
        byte[][] keys = baseOt.keys();
        Arrays.fill(choices, false);
        byte[] pads = tx.receive(Round.SEEDS.key(0), timeout).toByteArray();
        Abort.unlessWellFormed(pads.length == BASE_OTS * 32, "SEEDS has " + pads.length + " bytes, expected " + BASE_OTS * 32);
        for (int j = 0; j < BASE_OTS; j++) {
          int bit = iknp.baseOtChoice(j, SecretAccess.insecure());
          byte[] s = new byte[16];
          for (int k = 0; k < 16; k++) {
            s[k] = (byte) (pads[(2 * j + bit) * 16 + k] ^ keys[j][k]);
          }
          iknp.baseOtResult(j, s);
          Arrays.fill(s, (byte) 0);
          Arrays.fill(keys[j], (byte) 0);
        }

        // The bank sends every chunk's extension before anything else, and the transcript is
        // digested in receive order: take them all now.
        Bytes[] extensions = new Bytes[chunks];
        for (int c = 0; c < chunks; c++) {
          extensions[c] = tx.receive(Round.EXTEND.key(c), timeout);
        }
        long[] d = iknp.secret(SecretAccess.insecure());
        delta = new Gf128Multiplier(d[0], d[1], ell);
        Okvs store = new Okvs(okvs, okvsSeed);
        FixedKeyAes outHash = VolePsiMath.permutation(seed, "out");
        byte[] outputs = new byte[nOwn * bytes];
        Hashed h = null;
        // Chunk c's trees go out before chunk c − 1's masked vector is awaited, so the bank always
        // has the next chunk's trees while this party decodes.
        SilentVole.Sender vole = sendTrees(iknp, extensions, d, seed, 0, null);
        int maskedFrame = 0;
        for (int c = 0; c < chunks; c++) {
          byte[] b = vole.outputs();
          SilentVole.Sender following = null;
          if (c + 1 < chunks) {
            following = sendTrees(iknp, extensions, d, seed, c + 1, vole.reserved());
          }
          // B' = B + A'·Δ, frame by frame.
          int len = entries(c);
          byte[] unpacked = Blocks.allocate(Math.min(frame, len));
          long[] prod = new long[2];
          for (int f = 0; f < ceilDiv(len, frame); f++) {
            int at = f * frame;
            int n = Math.min(frame, len - at);
            Bytes payload = tx.receive(Round.MASKED.key(maskedFrame), timeout);
            Abort.unlessWellFormed(
                payload.length() == (long) n * bytes,
                "MASKED frame " + maskedFrame + " has " + payload.length() + " bytes, expected " + (long) n * bytes);
            maskedFrame++;
            VolePsiMath.unpack(payload.toByteArray(), 0, n, bytes, unpacked, 0);
            for (int i = 0; i < n; i++) {
              delta.multiply(Blocks.lo(unpacked, i), Blocks.hi(unpacked, i), prod);
              Blocks.xor(b, at + i, prod[0], prod[1]);
            }
          }
          Arrays.fill(unpacked, (byte) 0);

          if (h == null) {
            h = join(hashed);
          }
          int from = h.chunkStart[c];
          int count = h.chunkStart[c + 1] - from;
          byte[] k = h.gather(h.keys, from, count);
          byte[] v = h.gather(h.values, from, count);
          byte[] z = Blocks.allocate(count);
          store.decodeBins(b, binFrom(c), binTo(c), k, count, z, threads);
          Arrays.fill(b, (byte) 0);
          VolePsiMath.addDeltaTimes(delta, v, z, 0, count);
          byte[] o = new byte[count * bytes];
          VolePsiMath.outputs(outHash, z, 0, count, bytes, Blocks.allocate(count), o, 0);
          for (int i = 0; i < count; i++) {
            System.arraycopy(o, i * bytes, outputs, positionOf[h.index[from + i]] * bytes, bytes);
          }
          Arrays.fill(z, (byte) 0);
          Arrays.fill(v, (byte) 0);
          vole = following;
        }
        Arrays.fill(d, 0L);
        if (h != null) {
          h.destroy();
        }
        int outFrames = ceilDiv(nOwn, frame);
        for (int f = 0; f < outFrames; f++) {
          int from = f * frame;
          int count = Math.min(frame, nOwn - from);
          tx.send(Round.OUTPUTS.key(f), Bytes.wrap(Arrays.copyOfRange(outputs, from * bytes, (from + count) * bytes)));
          listener.onProgress(PsiListener.Stage.BLIND_OWN, (long) from + count, nOwn);
        }
        if (params.revealMode() == RevealMode.BOTH) {
          return receiveMatches(order);
        }
        return new Outcome(new boolean[nOwn], null, order, -1);
      } finally {
        iknp.destroy();
        if (delta != null) {
          delta.destroy();
        }
      }
    }

    /** Extends chunk c's correlated OTs and sends its trees (a later chunk on {@code base}). */
    SilentVole.Sender sendTrees(
        IknpSender iknp, Bytes[] extensions, long[] d, byte[] seed, int c, SilentVole.SenderBase base)
        throws JointlyException {
      long[][] q = iknp.extend(c + 1, extensions[c], shape(c).cots());
      extensions[c] = null;
      SilentVole.Sender vole = new SilentVole.Sender(shape(c), d[0], d[1], codeSeed(seed, c), random, threads);
      byte[] message = base == null ? vole.message(q, c + 1) : vole.message(q, c + 1, base);
      tx.send(Round.TREES.key(c), Bytes.wrap(message));
      for (long[] row : q) {
        Arrays.fill(row, 0L);
      }
      return vole;
    }

    /** {@code both} mode, the partner: which of its sent positions matched, and where the bank sent them. */
    Outcome receiveMatches(int[] order) throws JointlyException {
      boolean[] shared = new boolean[nOwn];
      int[] peerPosition = new int[nOwn];
      Arrays.fill(peerPosition, -1);
      boolean[] bankSeen = new boolean[nPeer];
      ByteBuffer first = ByteBuffer.wrap(tx.receive(Round.MATCHES.key(0), timeout).toByteArray());
      Abort.unlessWellFormed(first.remaining() >= 4, "MATCHES is truncated");
      int total = first.getInt();
      Abort.unlessWellFormed(
          total >= 0 && total <= Math.min(nOwn, nPeer), "MATCHES declares " + total + " items, more than either set");
      int frames = Math.max(1, ceilDiv(total, frame));
      int last = -1;
      ByteBuffer b = first;
      for (int f = 0; f < frames; f++) {
        if (f > 0) {
          b = ByteBuffer.wrap(tx.receive(Round.MATCHES.key(f), timeout).toByteArray());
        }
        int count = Math.min(frame, total - f * frame);
        Abort.unlessWellFormed(
            b.remaining() == 8 * count, "MATCHES frame " + f + " has the wrong length for " + count + " pairs");
        for (int i = 0; i < count; i++) {
          int mine = b.getInt();
          int theirs = b.getInt();
          Abort.unlessWellFormed(mine > last && mine < nOwn, "MATCHES positions are not increasing within this party's set");
          Abort.unlessWellFormed(theirs >= 0 && theirs < nPeer && !bankSeen[theirs], "MATCHES names a bank position twice or out of range");
          bankSeen[theirs] = true;
          last = mine;
          int item = order[mine];
          shared[item] = true;
          peerPosition[item] = theirs;
        }
        // Matches arrive in increasing position: everything up to the last one is settled.
        listener.onProgress(PsiListener.Stage.MATCH, f == frames - 1 ? nOwn : last + 1L, nOwn);
      }
      return new Outcome(shared, peerPosition, order, total);
    }
  }

  /**
   * A party's hashed items: keys and OKVS values (blocks, in the order hashed) and the item
   * indices grouped by VOLE chunk.
   */
  private record Hashed(byte[] keys, byte[] values, int[] index, int[] chunkStart) {
    /** Blocks {@code index[from .. from + count)} of {@code blocks}, side by side. */
    byte[] gather(byte[] blocks, int from, int count) {
      byte[] out = Blocks.allocate(count);
      for (int i = 0; i < count; i++) {
        Blocks.copy(blocks, index[from + i], out, i);
      }
      return out;
    }

    void destroy() {
      Arrays.fill(keys, (byte) 0);
      Arrays.fill(values, (byte) 0);
    }

    @Override
    public String toString() {
      return "Hashed[redacted]";
    }
  }

  private static <T> T join(CompletableFuture<T> f) throws ProtocolAbortException {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** A fresh uniformly random permutation of [0, n): Fisher–Yates on an AES-CTR stream seeded by the SecureRandom. */
  private int[] randomPermutation(int n) {
    byte[] key = new byte[16];
    random.nextBytes(key);
    int[] p = new AesPrg(key).permutation(n);
    Arrays.fill(key, (byte) 0);
    return p;
  }

  static int ceilDiv(int n, int d) {
    return (n + d - 1) / d;
  }
}
