package io.jointly.stats;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * The bank's side of federated statistics over the intersection, in the style of the
 * intersection-sum protocol of Private Join and Compute (Ion et al., "On Deploying Secure Computing:
 * Private Intersection-Sum-with-Cardinality", EuroS&amp;P 2020), with the roles arranged so that the
 * bank, not the partner, learns the aggregates.
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li>ECDH PSI in {@link io.jointly.psi.RevealMode#BANK} mode ({@link EcdhPsi}): the bank learns
 *       which of its rows are shared and, for each, the position at which the partner sent the
 *       matching item ({@link PsiAlignment}; positions are a fresh random permutation).
 *   <li>{@code HELLO}: the bank sends its policy and the number S of its segments; the partner sends
 *       its policy, the {@link ColumnLayout}, the fixed-point precision and a fresh Paillier public
 *       key.
 *   <li>{@code VALUES}: for each position, in batches, the partner sends the Paillier encryption of
 *       that customer's slot vector ({@link StatsMath}), packed into plaintexts.
 *   <li>{@code MASKED_SUMS}: for each segment s, the bank multiplies the ciphertexts of the shared
 *       customers in s (a homomorphic sum), adds a fresh encryption — with full randomness — of a
 *       uniform mask, and sends the S results. For a segment below the minimum cell size it sends
 *       the encrypted mask alone, so not even the bank's own process sees a small cell's sum.
 *   <li>{@code OPENED}: the partner decrypts, unpacks, adds noise if configured, and returns the
 *       masked slot values.
 *   <li>The bank subtracts its masks and the slot offsets; both confirm the transcript.
 * </ol>
 *
 * <h2>What each party learns (semi-honest model)</h2>
 *
 * The bank: everything the PSI bank mode reveals (which of its customers are shared, the partner's
 * set size), the partner's column names, bounds and levels, and per segment of at least {@code
 * minCellSize} shared customers the sums, non-missing counts and level counts of the partner's
 * columns (with noise if configured) — never a customer's values, which reach it only under the
 * partner's key. The partner: the bank's set size and its number of segments S; the masked sums it
 * decrypts are within statistical distance 2^−40 of uniform, and the bank's full-randomness mask
 * encryption makes each returned ciphertext independent of which customers were summed. A bank that
 * deviates (segments of one customer, dropping the suppression) is outside this model; the noise
 * option then still bounds what each released figure reveals.
 *
 * <p>Thread-safety: an instance is immutable; {@link #run} blocks its calling thread and uses the
 * executor for PSI's group operations.
 */
public final class StatisticsBank {
  private final StatisticsParameters params;
  private final Executor executor;
  private final int parallelism;
  private final SecureRandom random;
  private final StatisticsListener listener;

  public StatisticsBank(StatisticsParameters params, Executor executor, int parallelism) {
    this(params, executor, parallelism, StatisticsListener.NONE);
  }

  private StatisticsBank(StatisticsParameters params, Executor executor, int parallelism, StatisticsListener listener) {
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.parallelism = parallelism;
    this.random = new SecureRandom();
    this.listener = java.util.Objects.requireNonNull(listener);
  }

  /** The same party reporting its progress (PSI, then the value vectors) to {@code listener}. */
  public StatisticsBank withListener(StatisticsListener listener) {
    return new StatisticsBank(params, executor, parallelism, listener);
  }

  /**
   * Runs PSI and the statistics with the partner on {@code channel}.
   *
   * @param ids the bank's identifiers, one per row
   * @param groupBy the names of the segment columns
   * @param segmentColumns for each segment column, its value in every row (same rows as {@code ids})
   * @throws io.jointly.core.InputException if the identifiers are unusable (before anything is sent)
   * @throws ProtocolAbortException if the partner disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public SegmentTable run(
      PsiInput ids, List<String> groupBy, List<List<String>> segmentColumns, MessageChannel channel)
      throws JointlyException {
    long start = System.nanoTime();
    if (groupBy.size() != segmentColumns.size() || groupBy.isEmpty()) {
      throw new IllegalArgumentException("one value list per group-by column is needed");
    }
    for (List<String> c : segmentColumns) {
      if (c.size() != ids.rowCount()) {
        throw new IllegalArgumentException("segment columns must have one value per row");
      }
    }
    // Segments of all rows (shared or not), so S says nothing about the intersection.
    TreeMap<List<String>, Integer> segmentIndex = new TreeMap<>(StatisticsBank::compareKeys);
    int rows = ids.rowCount();
    for (int r = 0; r < rows; r++) {
      segmentIndex.putIfAbsent(keyOf(segmentColumns, r), 0);
    }
    Abort.unless(
        segmentIndex.size() <= StatsHello.MAX_SEGMENTS,
        ProtocolAbortException.Reason.POLICY_REFUSED,
        "more than " + StatsHello.MAX_SEGMENTS + " segments");
    List<List<String>> keys = new ArrayList<>(segmentIndex.keySet());
    for (int s = 0; s < keys.size(); s++) {
      segmentIndex.put(keys.get(s), s);
    }
    int segments = keys.size();

    PsiResult psi = new EcdhPsi(PsiRole.BANK, params.psi(), executor, parallelism).withListener(listener).run(ids, channel);
    PsiAlignment alignment = psi.alignment();

    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    Duration timeout = params.receiveTimeout();
    tx.send(
        StatsRound.HELLO.key(0),
        new StatsHello.Bank(StatsHello.VERSION, params.minCellSize(), params.noise().toString(), segments).encode());
    StatsHello.Partner hello = StatsHello.Partner.decode(tx.receive(StatsRound.HELLO.key(0), timeout));
    checkHello(hello);
    PaillierParameters keyParams = new PaillierParameters(params.paillier().modulusBits(), PaillierParameters.Randomness.FULL);
    PaillierPublicKey key = PaillierPublicKey.fromBytes(hello.publicKey(), keyParams);
    ColumnLayout layout = hello.layout();
    SlotPlan plan = SlotPlan.of(layout, new io.jointly.core.FixedPoint(hello.fractionalBits()), psi.peerSetSize(), key.modulusBits());

    // Which segment each partner position belongs to (-1: not shared), and the counts.
    int peerItems = (int) psi.peerSetSize();
    int[] segmentOfPosition = new int[peerItems];
    Arrays.fill(segmentOfPosition, -1);
    long[] count = new long[segments];
    for (int i = 0; i < alignment.sharedCount(); i++) {
      int s = segmentIndex.get(keyOf(segmentColumns, alignment.sharedRow(i)));
      segmentOfPosition[alignment.peerPosition(i)] = s;
      count[s]++;
    }

    try (PaillierEncryptor enc =
        PaillierEncryptor.builder(key).parameters(keyParams).random(random).build()) {
      // VALUES: homomorphic sums per segment.
      Ciphertext[][] acc = new Ciphertext[segments][];
      int batch = params.batchSize();
      int batches = (peerItems + batch - 1) / batch;
      for (int b = 0; b < batches; b++) {
        int first = b * batch;
        int n = Math.min(batch, peerItems - first);
        List<Ciphertext> cts = key.decodeAll(tx.receive(StatsRound.VALUES.key(b), timeout), n * plan.plaintexts());
        for (int i = 0; i < n; i++) {
          int s = segmentOfPosition[first + i];
          if (s < 0) {
            continue;
          }
          if (acc[s] == null) {
            acc[s] = new Ciphertext[plan.plaintexts()];
          }
          for (int j = 0; j < plan.plaintexts(); j++) {
            Ciphertext c = cts.get(i * plan.plaintexts() + j);
            acc[s][j] = acc[s][j] == null ? c : enc.add(acc[s][j], c);
          }
        }
        listener.onValues(first + n, peerItems);
      }

      // MASKED_SUMS: released segments get sum + mask, suppressed ones the mask alone.
      BigInteger[][] masks = new BigInteger[segments][];
      List<Ciphertext> out = new ArrayList<>(segments * plan.plaintexts());
      for (int s = 0; s < segments; s++) {
        masks[s] = StatsMath.masks(plan.slots(), plan.sumBits(), random);
        BigInteger[] packedMask = StatsMath.pack(masks[s], plan.width(), plan.perPlaintext());
        boolean released = count[s] >= params.minCellSize();
        for (int j = 0; j < plan.plaintexts(); j++) {
          Ciphertext m = enc.encrypt(packedMask[j]);
          out.add(released && acc[s] != null ? enc.add(acc[s][j], m) : m);
        }
      }
      tx.send(StatsRound.MASKED_SUMS.key(0), key.encodeAll(out));

      BigInteger[][] opened =
          StatsMath.decodeSigned(tx.receive(StatsRound.OPENED.key(0), timeout), segments, plan.slots(), plan.openedMaxBytes());
      tx.confirm(StatsRound.CONFIRM.key(0), timeout);

      List<SegmentTable.Segment> table = new ArrayList<>();
      for (int s = 0; s < segments; s++) {
        if (count[s] < params.minCellSize()) {
          table.add(new SegmentTable.Segment(keys.get(s), OptionalLong.empty(), List.of(), List.of()));
          continue;
        }
        BigInteger[] sums = new BigInteger[plan.slots()];
        for (int i = 0; i < plan.slots(); i++) {
          sums[i] = opened[s][i].subtract(masks[s][i]).subtract(plan.offsets()[i].multiply(BigInteger.valueOf(count[s])));
        }
        long released = count[s] + params.noise().sample(BigInteger.ONE, random).longValueExact();
        table.add(segment(keys.get(s), Math.max(0, released), sums, layout, plan));
      }
      int statistics = 1 + plan.slots();
      return new SegmentTable(
          groupBy,
          layout,
          table,
          params.minCellSize(),
          params.noise(),
          params.noise().totalEpsilon(statistics),
          psi,
          counting.stats(),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private SegmentTable.Segment segment(
      List<String> key, long count, BigInteger[] sums, ColumnLayout layout, SlotPlan plan) {
    int min = params.minCellSize();
    List<SegmentTable.NumericCell> numeric = new ArrayList<>();
    int s = 0;
    for (ColumnLayout.NumericColumn c : layout.numeric()) {
      long present = Math.max(0, sums[s + 1].longValueExact());
      if (present < min) {
        numeric.add(new SegmentTable.NumericCell(c.name(), OptionalLong.empty(), OptionalDouble.empty(), OptionalDouble.empty()));
      } else {
        double sum = plan.fixedPoint().decode(sums[s]);
        numeric.add(new SegmentTable.NumericCell(c.name(), OptionalLong.of(present), OptionalDouble.of(sum), OptionalDouble.of(sum / present)));
      }
      s += 2;
    }
    List<SegmentTable.Histogram> histograms = new ArrayList<>();
    for (ColumnLayout.CategoricalColumn c : layout.categorical()) {
      Map<String, OptionalLong> counts = new LinkedHashMap<>();
      for (int l = 0; l <= c.levels().size(); l++) {
        String level = l < c.levels().size() ? c.levels().get(l) : PartnerColumns.OTHER;
        long v = Math.max(0, sums[s++].longValueExact());
        counts.put(level, v < min ? OptionalLong.empty() : OptionalLong.of(v));
      }
      histograms.add(new SegmentTable.Histogram(c.name(), counts));
    }
    return new SegmentTable.Segment(key, OptionalLong.of(count), numeric, histograms);
  }

  private void checkHello(StatsHello.Partner hello) throws ProtocolAbortException {
    Abort.unless(hello.version() == StatsHello.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "statistics protocol version differs");
    Abort.unless(hello.minCellSize() == params.minCellSize(), ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "minimum cell sizes differ");
    Abort.unless(hello.noise().equals(params.noise().toString()), ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "noise settings differ");
    Abort.unless(
        hello.fractionalBits() >= 0 && hello.fractionalBits() <= 32,
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
        "fixed-point precision out of range");
  }

  private static List<String> keyOf(List<List<String>> columns, int row) {
    List<String> key = new ArrayList<>(columns.size());
    for (List<String> c : columns) {
      String v = c.get(row);
      key.add(v == null ? "" : v);
    }
    return key;
  }

  private static int compareKeys(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
