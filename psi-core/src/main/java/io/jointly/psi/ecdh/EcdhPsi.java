package io.jointly.psi.ecdh;

import io.jointly.channel.ChannelStats;
import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
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
import io.jointly.psi.pipeline.internal.Futures;
import io.jointly.psi.pipeline.internal.HashJoin;
import io.jointly.psi.pipeline.internal.PreparedSet;
import io.jointly.psi.pipeline.internal.RecordCursor;
import io.jointly.psi.pipeline.internal.RunContext;
import io.jointly.psi.pipeline.internal.SealedFile;
import io.jointly.psi.pipeline.internal.Spill;
import io.jointly.psi.pipeline.internal.WorkFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * One party of ECDH private set intersection (Meadows 1986; Huberman, Franklin and Hogg 1999; the
 * "ECDH-PSI" of the CAICT/BFIA interconnection standard), streamed in batches through the PSI
 * pipeline ({@link io.jointly.psi.pipeline}): memory bounded by a budget, whatever the set sizes;
 * everything larger in a work directory; every core; checkpoints and resume.
 *
 * <h2>Protocol</h2>
 *
 * Each party P ∈ {bank, partner} holds a set of normalised items and a fresh random secret scalar
 * k_P. With {@code H} the suite's hash-to-group and {@code trunc_t} keeping the last {@code t}
 * bytes of an encoding ({@link PsiMath#truncationBytes}):
 *
 * <ol>
 *   <li>{@code HELLO}: both send version, role, suite, profile, key columns, reveal mode, batch
 *       size, set size, minimum peer set size and a fresh nonce (or, resuming, the run id and how
 *       far they checkpointed); both check agreement and the guardrail.
 *   <li>{@code BLINDED}: each sends {@code k_P·H(x)} for its items in position order — the order of
 *       a keyed hash under a fresh secret key ({@link io.jointly.psi.pipeline.internal.ItemPreparer}),
 *       so positions reveal nothing about its rows; see {@link PsiAlignment} — in batches.
 *   <li>{@code DOUBLE_BLINDED}: each receiver re-blinds the peer's elements, {@code
 *       trunc_t(k_Q·k_P·H(x))}, and returns them in the order received to a peer that learns the
 *       intersection; in {@code count} mode the partner returns them after all batches, sorted by
 *       value (which, like a random shuffle, reveals only the multiset of values).
 *   <li>{@code CONFIRM}: both exchange their transcript chains ({@link Transcript}); any difference
 *       aborts both parties.
 *   <li>Locally, a party that learns joins the values returned for its items with its own
 *       re-blinding of the peer's ({@link HashJoin}, partitioned if it does not fit the budget) and
 *       maps matched positions back to its rows.
 * </ol>
 *
 * Within each batch index b a party sends its own batch b, then receives and answers the peer's
 * batch b, then receives the answers to its own batch b; both parties follow the same schedule, so
 * each receives messages in the order the other sends them and bounded channels never deadlock.
 * Own batch b+1 is blinded on the executor while batch b is on the wire.
 *
 * <h2>Checkpoints and resume</h2>
 *
 * With a {@link io.jointly.psi.pipeline.CheckpointKey}, every ⌈batches/64⌉ batches (the same
 * boundaries at both parties) a party forces its work files to disk and rewrites its sealed
 * checkpoint: scalar, run id, both hellos, and per boundary the transcript chains and the file
 * positions. A party restarted with {@link PipelineOptions#resume()} reconnects and sends a
 * resuming hello with the run id and its last boundary; the peer must resume too (the peer of a
 * party that died sees its channel fail, keeps its own checkpoint and is restarted with {@code
 * --resume}); both continue from the later boundary both reached, with the same scalars, so the
 * resumed run's messages and result are exactly those of an uninterrupted run. After {@code
 * CONFIRM} a party checkpoints once more and a resume of its local work needs no peer.
 *
 * <h2>What each party learns (semi-honest model, DDH in the group, H a random oracle)</h2>
 *
 * Both: the other's set size (deduplicated) and the agreed parameters. {@link RevealMode#BANK}:
 * the bank learns which of its rows are shared; the partner nothing more. {@link RevealMode#BOTH}:
 * each learns which of its rows are shared. {@link RevealMode#COUNT}: the bank learns the number of
 * shared items only. A resumed run also tells the peer that this party restarted and which
 * boundary it had checkpointed. Sort runs, join partitions and work files never leave a party.
 * Messages never contain raw items; error messages never contain data values. A malicious peer can
 * at most abort or make the result wrong in ways the transcript check does not catch (for example
 * by lying about its own set); this protocol does not claim malicious security.
 *
 * <p>Thread-safety: an instance is immutable and may run several sessions concurrently, each on its
 * own calling thread and with its own work directory; {@link #run} blocks that thread and uses the
 * executor for the group operations and sorts.
 */
public final class EcdhPsi {
  /** The protocol name in round keys. */
  public static final String PROTOCOL = "ecdh-psi";

  /**
   * Checkpoint boundaries per run, at most (plus the first and the last): each costs a few forced
   * writes (some milliseconds), and a crash loses at most the work since the last, 1/64 of a run.
   */
  static final int BOUNDARIES = 64;

  /** Rounds, with explicit wire codes. */
  enum Round {
    HELLO(1),
    BLINDED(2),
    DOUBLE_BLINDED(3),
    CONFIRM(4);

    final int wireCode;

    Round(int wireCode) {
      this.wireCode = wireCode;
    }

    RoundKey key(int sequence) {
      return new RoundKey(PROTOCOL, wireCode, sequence);
    }
  }

  private static final String T_OWN = "t-own";
  private static final String T_PEER = "t-peer";
  private static final String COUNT_OUT = "count-out";
  private static final String COUNT_IN = "count-in";

  private final PsiRole role;
  private final EcdhPsiParameters params;
  private final EcdhGroup group;
  private final Executor executor;
  private final int parallelism;
  private final PsiListener listener;
  private final SecureRandom random;
  private final PipelineOptions options;

  /**
   * @param role this party's role
   * @param params the parameters (the peer must agree on the shared ones)
   * @param executor runs the group operations and sorts; never the common pool
   * @param parallelism how many tasks to split work into (usually the executor's threads)
   */
  public EcdhPsi(PsiRole role, EcdhPsiParameters params, Executor executor, int parallelism) {
    this(role, params, executor, parallelism, PsiListener.NONE, new SecureRandom(), PipelineOptions.DEFAULTS);
  }

  private EcdhPsi(
      PsiRole role,
      EcdhPsiParameters params,
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
    this.group = EcdhGroups.create(params.suite());
  }

  /** The same party reporting progress to {@code listener}. */
  public EcdhPsi withListener(PsiListener listener) {
    return new EcdhPsi(role, params, executor, parallelism, listener, random, options);
  }

  /** The same party with these memory, work-directory and checkpoint options. */
  public EcdhPsi withOptions(PipelineOptions options) {
    return new EcdhPsi(role, params, executor, parallelism, listener, random, options);
  }

  public PsiRole role() {
    return role;
  }

  public EcdhPsiParameters parameters() {
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
   * Reads and prepares this party's rows in one pass within the memory budget, or — with {@link
   * PipelineOptions#resume()} — restores the prepared input of an interrupted run after checking
   * its checkpoint against this input and these parameters.
   *
   * @throws InputException naming the first bad row (never its value), a malformed source, an
   *     unusable work directory or a checkpoint that does not fit
   */
  public PreparedInput prepare(RowSource source) throws InputException {
    return PreparedInput.prepare(
        source, params.identifierSettings(), binding(), options, executor, parallelism, listener, random);
  }

  /**
   * Runs the protocol with the peer on {@code channel} over in-memory input: {@link #prepare}, then
   * {@link #run(PreparedInput, MessageChannel)}.
   *
   * @throws InputException if this party's input is unusable (before anything is sent)
   * @throws ProtocolAbortException if the peer disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public PsiResult run(PsiInput input, MessageChannel channel) throws JointlyException {
    try (PreparedInput prepared = prepare(input)) {
      return run(prepared, channel);
    }
  }

  /**
   * Runs the protocol with the peer on {@code channel} (which the caller closes) and returns the
   * shared rows and the {@link PsiAlignment} in memory: for sets whose row indexes fit in memory.
   *
   * @throws ProtocolAbortException if the peer disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public PsiResult run(PreparedInput prepared, MessageChannel channel) throws JointlyException {
    Collector collector = new Collector();
    return runCore(prepared, () -> channel, false, collector);
  }

  /**
   * The streaming form: runs the protocol with the peer on a channel from {@code opener} (opened
   * only if the peer is needed, and closed by the run) and hands this party's shared rows, in
   * increasing order, to {@code sink} (if the reveal mode gives them to this party). The result
   * carries counts, not rows. On success the work directory is deleted; on a failure after the
   * parties agreed a run, a checkpointing run keeps it for {@link PipelineOptions#resume()} ({@link
   * PreparedInput#keptForResume()}).
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

    /** Called after the last row, while the prepared set is still there. */
    PsiAlignment alignment(PreparedSet set, boolean learns) throws IOException;

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
      if (row > Integer.MAX_VALUE || peerPosition > Integer.MAX_VALUE) {
        throw new IllegalStateException("too many rows for an in-memory result");
      }
      if (n == rows.length) {
        rows = Arrays.copyOf(rows, n * 2);
      }
      rows[n++] = (int) row;
      if (firstOfItem) {
        if (m == first.length) {
          first = Arrays.copyOf(first, m * 2);
          peer = Arrays.copyOf(peer, m * 2);
        }
        first[m] = (int) row;
        peer[m++] = (int) peerPosition;
      }
    }

    @Override
    public PsiAlignment alignment(PreparedSet set, boolean learns) throws IOException {
      int[] sent = set.firstRows();
      return learns
          ? PsiAlignment.of(sent, Arrays.copyOf(first, m), Arrays.copyOf(peer, m))
          : PsiAlignment.of(sent, new int[0], new int[0]);
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
    public PsiAlignment alignment(PreparedSet set, boolean learns) {
      return PsiAlignment.of(new int[0], new int[0], new int[0]);
    }

    @Override
    public Optional<RowIndexes> rows() {
      return Optional.empty();
    }
  }

  /** A sink failure, carried through the join's callbacks. */
  private static final class SinkFailure extends RuntimeException {
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
    Session s = new Session(ctx, out);
    try {
      PsiResult r = s.run(opener, ownsChannel);
      ctx.succeeded();
      return r;
    } catch (ProtocolAbortException e) {
      // A peer that misbehaved or a transcript that differs: resuming would repeat it. A refused
      // resume handshake keeps the checkpoint, so the operator can restart the peer with --resume.
      if (s.inResumeHandshake) {
        ctx.keepForResume();
      }
      throw e;
    } catch (WorkFileException e) {
      throw new InputException(InputException.Kind.WORK_DIR, -1, "work directory " + ctx.dir.path() + ": " + e.getMessage(), e);
    } catch (SinkFailure e) {
      keepIfAgreed(s, ctx);
      IOException cause = (IOException) e.getCause();
      throw new InputException(
          InputException.Kind.WORK_DIR, -1, "writing the shared rows failed: " + describe(cause), cause);
    } catch (IOException | UncheckedIOException e) {
      keepIfAgreed(s, ctx);
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      throw new InputException(
          InputException.Kind.WORK_DIR, -1, "work directory " + ctx.dir.path() + ": " + describe(cause), cause);
    } catch (JointlyException | RuntimeException | Error e) {
      keepIfAgreed(s, ctx);
      throw e;
    } finally {
      s.destroy();
    }
  }

  private static void keepIfAgreed(Session s, RunContext ctx) {
    if (s.agreed) {
      ctx.keepForResume();
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** One run's state, on the calling thread. */
  private final class Session {
    final RunContext ctx;
    final Output out;
    final RevealMode mode = params.revealMode();
    final boolean iLearn = mode.revealsSizeTo(role);
    final boolean peerLearns = mode.revealsSizeTo(role.other());
    final long start = System.nanoTime();
    final long n;
    RunState st;
    GroupScalar k;
    long m;
    int t;
    int ownBatch;
    int peerBatch;
    long ownBatches;
    long peerBatches;
    long rounds;
    long interval;
    Spill tOwn;
    Spill tPeer;
    Spill countOut;
    Spill countIn;
    boolean agreed;
    boolean inResumeHandshake;

    Session(RunContext ctx, Output out) {
      this.ctx = ctx;
      this.out = out;
      this.n = ctx.set.size();
    }

    void destroy() {
      if (k != null) {
        k.destroy();
      }
      if (st != null) {
        st.destroy();
      }
    }

    PsiResult run(ChannelOpener opener, boolean ownsChannel) throws JointlyException, IOException {
      if (ctx.restoredState() != null) {
        try {
          st = RunState.decode(ctx.restoredState());
        } catch (IOException e) {
          throw new InputException(
              InputException.Kind.CHECKPOINT, -1, "the checkpoint in " + ctx.dir.path() + " is damaged");
        }
        agreed = true;
        if (st.phase == RunState.Phase.CONFIRMED) {
          restoreSizes(st.mine, st.peer);
          k = group.scalarFromBytes(st.scalar);
          listener.onHandshake(n, m);
          announce(rounds, true);
          return local(ChannelStats.ZERO);
        }
      }
      ctx.clock.start("connect");
      MessageChannel channel = opener.open();
      try {
        return exchange(channel);
      } finally {
        if (ownsChannel) {
          channel.close();
        }
      }
    }

    private void restoreSizes(Hello mine, Hello peer) throws JointlyException {
      m = peer.setSize();
      t = PsiMath.truncationBytes(n, m, group.elementLength());
      ownBatch = mine.batchSize();
      peerBatch = peer.batchSize();
      ownBatches = ceilDiv(n, ownBatch);
      peerBatches = ceilDiv(m, peerBatch);
      rounds = Math.max(ownBatches, peerBatches);
      if (rounds > Integer.MAX_VALUE) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT, -1, "the batch size is too small for sets of these sizes");
      }
      interval = Math.max(1, ceilDiv(rounds, BOUNDARIES));
    }

    private void announce(long done, boolean local) {
      listener.onProgress(PsiListener.Stage.BLIND_OWN, Math.min(n, done * ownBatch), n);
      listener.onProgress(PsiListener.Stage.REBLIND_PEER, Math.min(m, done * peerBatch), m);
      if (iLearn) {
        long matched = local ? n : (mode == RevealMode.COUNT ? 0 : Math.min(n, done * ownBatch));
        listener.onProgress(PsiListener.Stage.MATCH, matched, n);
        listener.onProgress(PsiListener.Stage.JOIN, 0, n + m);
      }
    }

    private PsiResult exchange(MessageChannel channel) throws JointlyException, IOException {
      if (n > EcdhPsiParameters.MAX_SET_SIZE) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT, -1, "more than " + EcdhPsiParameters.MAX_SET_SIZE + " items");
      }
      CountingChannel counting = new CountingChannel(channel);
      Duration timeout = params.receiveTimeout();
      ctx.clock.start("handshake");
      Hello base =
          new Hello(
              Hello.VERSION,
              role,
              params.suite(),
              params.profile(),
              params.keyColumns(),
              params.revealMode(),
              params.batchSize(),
              n,
              params.minPeerSetSize());
      Transcript tx;
      long restart;
      if (st == null) {
        byte[] nonce = new byte[Hello.NONCE_BYTES];
        random.nextBytes(nonce);
        Hello mine = base.withNonce(Bytes.wrap(nonce));
        tx = Transcript.fresh(counting);
        tx.send(Round.HELLO.key(0), mine.encode());
        Hello peer = Hello.decode(tx.receive(Round.HELLO.key(0), timeout));
        mine.checkAgainst(peer);
        restoreSizes(mine, peer);
        k = group.randomScalar(random);
        st = new RunState();
        st.scalar = k.toByteArray(SecretAccess.insecure());
        st.runId = role == PsiRole.BANK ? Hello.runId(mine.nonce(), peer.nonce()) : Hello.runId(peer.nonce(), mine.nonce());
        st.mine = mine;
        st.peer = peer;
        st.session = channel.sessionId();
        tx.fold();
        openSpills(null);
        st.boundaries.add(boundary(0, tx));
        if (ctx.checkpoints()) {
          ctx.checkpoint(st.encode());
        }
        agreed = true;
        restart = 0;
      } else {
        if (!st.session.equals(channel.sessionId())) {
          throw new InputException(
              InputException.Kind.CHECKPOINT,
              -1,
              "the checkpoint in " + ctx.dir.path() + " is of session '" + st.session + "'; this run's session is '"
                  + channel.sessionId() + "'");
        }
        if (!base.sameRun(st.mine)) {
          throw new InputException(
              InputException.Kind.CHECKPOINT, -1, "the checkpoint in " + ctx.dir.path() + " is of a run with other parameters");
        }
        inResumeHandshake = true;
        Hello mine = base.resuming(st.runId, st.latest().batches());
        counting.send(Round.HELLO.key(0), mine.encode());
        Hello peer = Hello.decode(counting.receive(Round.HELLO.key(0), timeout));
        mine.checkResume(peer, st.peer);
        restoreSizes(st.mine, st.peer);
        restart = Math.min(mine.checkpointed(), peer.checkpointed());
        RunState.Boundary b = st.at(restart);
        Abort.unless(
            b != null,
            ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
            "the two parties' checkpoints have no boundary in common to resume from");
        inResumeHandshake = false;
        st.rollBackTo(restart);
        k = group.scalarFromBytes(st.scalar);
        tx = new Transcript(counting, b.sentChain().toByteArray(), b.receivedChain().toByteArray());
        openSpills(b);
      }
      listener.onHandshake(n, m);
      announce(restart, false);

      ctx.clock.start("exchange");
      loop(tx, timeout, restart);
      finishCount(tx, timeout);
      ctx.clock.start("confirm");
      tx.confirm(Round.CONFIRM.key(0), timeout);

      st.phase = RunState.Phase.CONFIRMED;
      closeSpills();
      if (ctx.checkpoints()) {
        ctx.checkpoint(st.encode());
      }
      return local(counting.stats());
    }

    private void openSpills(RunState.Boundary b) throws IOException {
      boolean memoryFirst = ctx.memoryFirst();
      if (iLearn && mode != RevealMode.COUNT) {
        tOwn = b == null ? Spill.create(ctx.dir, T_OWN, ctx.budget, memoryFirst) : Spill.resume(ctx.dir, T_OWN, ctx.budget, b.tOwn());
      }
      if (iLearn) {
        tPeer = b == null ? Spill.create(ctx.dir, T_PEER, ctx.budget, memoryFirst) : Spill.resume(ctx.dir, T_PEER, ctx.budget, b.tPeer());
      }
      if (peerLearns && mode == RevealMode.COUNT) {
        countOut =
            b == null
                ? Spill.create(ctx.dir, COUNT_OUT, ctx.budget, memoryFirst)
                : Spill.resume(ctx.dir, COUNT_OUT, ctx.budget, b.countOut());
      }
    }

    private RunState.Boundary boundary(long batches, Transcript tx) throws IOException {
      return new RunState.Boundary(
          batches,
          Bytes.wrap(tx.sentChain()),
          Bytes.wrap(tx.receivedChain()),
          syncPosition(tOwn),
          syncPosition(tPeer),
          syncPosition(countOut));
    }

    private SealedFile.Position syncPosition(Spill s) throws IOException {
      return s == null || !ctx.checkpoints() ? null : s.sync();
    }

    private void closeSpills() throws IOException {
      for (Spill s : new Spill[] {tOwn, tPeer, countIn}) {
        if (s != null) {
          if (ctx.checkpoints()) {
            s.sync();
          }
          s.finish();
        }
      }
      st.tOwnBytes = tOwn == null ? 0 : tOwn.length();
      st.tPeerBytes = tPeer == null ? 0 : tPeer.length();
      st.countInBytes = countIn == null ? 0 : countIn.length();
      if (countOut != null) {
        countOut.delete();
        countOut = null;
      }
    }

    private void loop(Transcript tx, Duration timeout, long restart) throws JointlyException, IOException {
      int len = group.elementLength();
      try (PreparedSet.ItemReader items = ctx.set.items()) {
        items.skip(Math.min(n, restart * ownBatch));
        CompletableFuture<byte[]> next = restart < ownBatches ? blindAsync(items, batchCount(n, ownBatch, restart)) : null;
        for (long bl = restart; bl < rounds; bl++) {
          int b = (int) bl;
          if (bl < ownBatches) {
            byte[] blinded = join(next);
            next = bl + 1 < ownBatches ? blindAsync(items, batchCount(n, ownBatch, bl + 1)) : null;
            tx.send(Round.BLINDED.key(b), Bytes.wrap(blinded));
            listener.onProgress(PsiListener.Stage.BLIND_OWN, bl * ownBatch + batchCount(n, ownBatch, bl), n);
          }
          if (bl < peerBatches) {
            int count = batchCount(m, peerBatch, bl);
            byte[] elements = checkBatch(tx.receive(Round.BLINDED.key(b), timeout), count, len, "BLINDED", b);
            byte[] doubled = reblindParallel(elements, count);
            if (iLearn) {
              tPeer.write(doubled, 4, count * t);
            }
            if (peerLearns) {
              if (mode == RevealMode.COUNT) {
                countOut.write(doubled, 4, count * t);
              } else {
                tx.send(Round.DOUBLE_BLINDED.key(b), Bytes.wrap(doubled));
              }
            }
            listener.onProgress(PsiListener.Stage.REBLIND_PEER, bl * peerBatch + count, m);
          }
          if (bl < ownBatches && iLearn && mode != RevealMode.COUNT) {
            int count = batchCount(n, ownBatch, bl);
            byte[] values = checkBatch(tx.receive(Round.DOUBLE_BLINDED.key(b), timeout), count, t, "DOUBLE_BLINDED", b);
            tOwn.write(values, 4, count * t);
            listener.onProgress(PsiListener.Stage.MATCH, bl * ownBatch + count, n);
          }
          if ((bl + 1) % interval == 0 || bl + 1 == rounds) {
            tx.fold();
            if (ctx.checkpoints()) {
              st.boundaries.add(boundary(bl + 1, tx));
              ctx.checkpoint(st.encode());
            }
            ctx.sampleHeap();
          }
        }
        if (next != null) {
          next.cancel(false);
        }
      }
    }

    /** Count mode after all batches: the partner returns its values sorted; the bank receives. */
    private void finishCount(Transcript tx, Duration timeout) throws JointlyException, IOException {
      if (mode != RevealMode.COUNT) {
        return;
      }
      if (peerLearns) {
        countOut.finish();
        try (ExternalSorter sorter =
            new ExternalSorter("count", ctx.dir, ctx.budget, t, t, ctx.budget.workArea(), executor, parallelism)) {
          try (java.io.DataInputStream in = new java.io.DataInputStream(countOut.open())) {
            byte[] v = new byte[t];
            for (long i = 0; i < m; i++) {
              in.readFully(v);
              sorter.add(v, 0, t);
            }
          }
          try (RecordCursor c = sorter.sorted()) {
            long batches = ceilDiv(m, ownBatch);
            for (long bl = 0; bl < batches; bl++) {
              int count = batchCount(m, ownBatch, bl);
              byte[] payload = new byte[4 + count * t];
              putInt(payload, count);
              for (int i = 0; i < count; i++) {
                if (!c.next()) {
                  throw new IOException("fewer sorted values than re-blinded");
                }
                System.arraycopy(c.buffer(), c.offset(), payload, 4 + i * t, t);
              }
              tx.send(Round.DOUBLE_BLINDED.key((int) bl), Bytes.wrap(payload));
            }
          }
        }
      }
      if (iLearn) {
        countIn = Spill.create(ctx.dir, COUNT_IN, ctx.budget, ctx.memoryFirst());
        long batches = ceilDiv(n, peerBatch);
        for (long bl = 0; bl < batches; bl++) {
          int count = batchCount(n, peerBatch, bl);
          byte[] values =
              checkBatch(tx.receive(Round.DOUBLE_BLINDED.key((int) bl), timeout), count, t, "DOUBLE_BLINDED", (int) bl);
          countIn.write(values, 4, count * t);
          listener.onProgress(PsiListener.Stage.MATCH, bl * peerBatch + count, n);
        }
      }
    }

    /** After the transcripts agreed: find the shared items and rows, locally. */
    private PsiResult local(ChannelStats traffic) throws JointlyException, IOException {
      ctx.clock.start("match");
      long intersection = -1;
      long sharedRows = -1;
      PsiAlignment alignment;
      if (iLearn) {
        Spill peerValues = tPeer != null ? tPeer : Spill.existing(ctx.dir, T_PEER, ctx.budget, st.tPeerBytes);
        long work = ctx.budget.workArea();
        try {
          if (mode == RevealMode.COUNT) {
            Spill in = countIn != null ? countIn : Spill.existing(ctx.dir, COUNT_IN, ctx.budget, st.countInBytes);
            intersection = HashJoin.join(ctx.dir, ctx.budget, t, HashJoin.of(peerValues, t), HashJoin.of(in, t), work, null);
            alignment = out.alignment(ctx.set, false);
          } else {
            Spill own = tOwn != null ? tOwn : Spill.existing(ctx.dir, T_OWN, ctx.budget, st.tOwnBytes);
            long[] rows = {0};
            try (ExternalSorter matched =
                    new ExternalSorter("matched", ctx.dir, ctx.budget, 16, 8, work, executor, parallelism);
                ExternalSorter shared =
                    new ExternalSorter("shared", ctx.dir, ctx.budget, 17, 8, work, executor, parallelism)) {
              byte[] rec = new byte[17];
              intersection =
                  HashJoin.join(
                      ctx.dir,
                      ctx.budget,
                      t,
                      HashJoin.of(peerValues, t),
                      HashJoin.of(own, t),
                      work,
                      (p, q) -> {
                        putLong(rec, 0, p);
                        putLong(rec, 8, q);
                        matched.add(rec, 0, 16);
                      });
              listener.onProgress(PsiListener.Stage.JOIN, (n + m) / 2, n + m);
              try (RecordCursor c = matched.sorted()) {
                ctx.set.emitRows(
                    c,
                    (row, q, first) -> {
                      putLong(rec, 0, row);
                      putLong(rec, 8, q);
                      rec[16] = (byte) (first ? 1 : 0);
                      shared.add(rec, 0, 17);
                    });
              }
              matched.close();
              try (RecordCursor c = shared.sorted()) {
                while (c.next()) {
                  byte[] b = c.buffer();
                  int o = c.offset();
                  try {
                    out.row(getLong(b, o), getLong(b, o + 8), b[o + 16] != 0);
                  } catch (IOException e) {
                    throw new SinkFailure(e);
                  }
                  rows[0]++;
                }
              }
            }
            sharedRows = rows[0];
            alignment = out.alignment(ctx.set, true);
          }
        } catch (HashJoin.RepeatedValueException e) {
          throw new ProtocolAbortException(
              ProtocolAbortException.Reason.MALFORMED_MESSAGE, "the peer's BLINDED batches repeat an element");
        }
        listener.onProgress(PsiListener.Stage.JOIN, n + m, n + m);
      } else {
        alignment = out.alignment(ctx.set, false);
      }
      ctx.clock.stop();
      ctx.sampleHeap();
      boolean rowsRevealed = mode.revealsRowsTo(role);
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
          PsiProtocol.ECDH,
          mode,
          Optional.of(params.suite()),
          rowsRevealed ? out.rows() : Optional.empty(),
          rowsRevealed ? OptionalLong.of(sharedRows) : OptionalLong.empty(),
          intersection < 0 ? OptionalLong.empty() : OptionalLong.of(intersection),
          n,
          m,
          new PsiResult.InputSummary(ctx.set.rowCount(), ctx.set.invalidSkipped(), ctx.set.duplicateRows()),
          traffic,
          Duration.ofNanos(System.nanoTime() - start),
          alignment,
          stats);
    }

    /** Reads the next {@code count} items and blinds them on the executor: a BLINDED payload. */
    private CompletableFuture<byte[]> blindAsync(PreparedSet.ItemReader items, int count) throws IOException {
      int len = group.elementLength();
      byte[][] batch = new byte[count][];
      for (int i = 0; i < count; i++) {
        batch[i] = items.next();
      }
      byte[] payload = new byte[4 + count * len];
      putInt(payload, count);
      List<CompletableFuture<Void>> parts = new ArrayList<>();
      GroupScalar key = k;
      forChunks(
          count,
          (s, c) ->
              parts.add(
                  CompletableFuture.runAsync(
                      () -> PsiMath.blind(group, key, batch, s, c, payload, 4 + s * len), executor)));
      return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> payload);
    }

    /** Re-blinds a BLINDED payload's elements on the executor: a DOUBLE_BLINDED payload. */
    private byte[] reblindParallel(byte[] in, int count) throws ProtocolAbortException {
      byte[] payload = new byte[4 + count * t];
      putInt(payload, count);
      List<CompletableFuture<Void>> parts = new ArrayList<>();
      GroupScalar key = k;
      int width = t;
      forChunks(
          count,
          (s, c) ->
              parts.add(
                  CompletableFuture.runAsync(
                      () -> {
                        try {
                          PsiMath.reblindTruncated(group, key, in, 4, s, c, width, payload, 4);
                        } catch (ProtocolAbortException e) {
                          throw new CompletionException(e);
                        }
                      },
                      executor)));
      join(CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)));
      return payload;
    }
  }

  private interface ChunkSink {
    void accept(int start, int count);
  }

  private void forChunks(int count, ChunkSink sink) {
    int chunks = Math.max(1, Math.min(count, parallelism * 4));
    int base = count / chunks;
    int extra = count % chunks;
    int start = 0;
    for (int i = 0; i < chunks; i++) {
      int c = base + (i < extra ? 1 : 0);
      if (c > 0) {
        sink.accept(start, c);
      }
      start += c;
    }
  }

  private static <T> T join(CompletableFuture<T> f) throws ProtocolAbortException {
    return Futures.join(
        f,
        cause -> {
          if (cause instanceof ProtocolAbortException p) {
            throw p;
          }
        });
  }

  static long ceilDiv(long n, long d) {
    return (n + d - 1) / d;
  }

  static int batchCount(long total, int batchSize, long index) {
    return (int) Math.min(batchSize, total - index * batchSize);
  }

  private static void putInt(byte[] b, int v) {
    b[0] = (byte) (v >>> 24);
    b[1] = (byte) (v >>> 16);
    b[2] = (byte) (v >>> 8);
    b[3] = (byte) v;
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  /** A batch: 4-byte big-endian count, then {@code count} values of {@code width} bytes. */
  static Bytes encodeBatch(byte[] values, int count, int width) {
    byte[] out = new byte[4 + count * width];
    putInt(out, count);
    System.arraycopy(values, 0, out, 4, count * width);
    return Bytes.wrap(out);
  }

  /**
   * Checks a batch's length and declared count; returns its bytes (count header included, values
   * from offset 4).
   */
  static byte[] checkBatch(Bytes payload, int expectedCount, int width, String round, int index)
      throws ProtocolAbortException {
    Abort.unlessWellFormed(
        payload.length() == 4 + expectedCount * width,
        round + " batch " + index + " has " + payload.length() + " bytes, expected " + (4 + expectedCount * width));
    byte[] raw = payload.toByteArray();
    int count = ((raw[0] & 0xFF) << 24) | ((raw[1] & 0xFF) << 16) | ((raw[2] & 0xFF) << 8) | (raw[3] & 0xFF);
    Abort.unlessWellFormed(
        count == expectedCount, round + " batch " + index + " declares " + count + " items, expected " + expectedCount);
    return raw;
  }
}
