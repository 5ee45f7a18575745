package io.jointly.stats;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import io.jointly.paillier.PaillierKeyPair;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The partner's side of federated statistics (see {@link StatisticsBank} for the protocol and what
 * each party learns). The partner generates a fresh Paillier key pair per run; the secret key never
 * leaves this object's run.
 *
 * <p>Thread-safety: an instance is immutable; {@link #run} blocks its calling thread and uses the
 * executor for PSI's group operations and for filling the Paillier randomness pool.
 */
public final class StatisticsPartner {
  /** What the partner learns: its PSI view, the bank's number of segments, and the traffic. */
  public record Result(PsiResult psi, int segments, ColumnLayout layout, io.jointly.channel.ChannelStats traffic, Duration elapsed) {}

  private final StatisticsParameters params;
  private final Executor executor;
  private final int parallelism;
  private final SecureRandom random;
  private final StatisticsListener listener;

  public StatisticsPartner(StatisticsParameters params, Executor executor, int parallelism) {
    this(params, executor, parallelism, StatisticsListener.NONE);
  }

  private StatisticsPartner(StatisticsParameters params, Executor executor, int parallelism, StatisticsListener listener) {
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
  public StatisticsPartner withListener(StatisticsListener listener) {
    return new StatisticsPartner(params, executor, parallelism, listener);
  }

  /**
   * Runs PSI and the statistics with the bank on {@code channel}.
   *
   * @param ids the partner's identifiers, one per row
   * @param columns the partner's value columns, same rows as {@code ids}
   */
  public Result run(PsiInput ids, PartnerColumns columns, MessageChannel channel) throws JointlyException {
    long start = System.nanoTime();
    if (columns.rowCount() != ids.rowCount()) {
      throw new IllegalArgumentException("value columns must have one value per identifier row");
    }
    // The key is generated before PSI so that a key-generation failure costs no traffic.
    PaillierKeyPair keys = PaillierKeyPair.generate(params.paillier(), random);
    PsiResult psi = new EcdhPsi(PsiRole.PARTNER, params.psi(), executor, parallelism).withListener(listener).run(ids, channel);
    PsiAlignment alignment = psi.alignment();

    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    Duration timeout = params.receiveTimeout();
    ColumnLayout layout = columns.layout();
    tx.send(
        StatsRound.HELLO.key(0),
        new StatsHello.Partner(
                StatsHello.VERSION,
                params.minCellSize(),
                params.noise().toString(),
                params.fixedPoint().fractionalBits(),
                layout,
                keys.publicKey().toBytes())
            .encode());
    StatsHello.Bank hello = StatsHello.Bank.decode(tx.receive(StatsRound.HELLO.key(0), timeout));
    Abort.unless(hello.version() == StatsHello.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "statistics protocol version differs");
    Abort.unless(hello.minCellSize() == params.minCellSize(), ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "minimum cell sizes differ");
    Abort.unless(hello.noise().equals(params.noise().toString()), ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "noise settings differ");
    int segments = hello.segments();
    SlotPlan plan = SlotPlan.of(layout, params.fixedPoint(), alignment.sentCount(), keys.publicKey().modulusBits());

    try (PaillierEncryptor enc =
        PaillierEncryptor.builder(keys.publicKey())
            .parameters(params.paillier())
            .random(random)
            .executor(executor)
            .secretKey(keys.secretKey())
            .build()) {
      // VALUES: every item in send order, encrypted under our key.
      int items = alignment.sentCount();
      int batch = params.batchSize();
      int batches = (items + batch - 1) / batch;
      for (int b = 0; b < batches; b++) {
        int first = b * batch;
        int n = Math.min(batch, items - first);
        // Encryption (its randomness) is the cost of this round: run it on the executor.
        List<CompletableFuture<Ciphertext>> parts = new ArrayList<>(n * plan.plaintexts());
        for (int i = 0; i < n; i++) {
          int row = alignment.rowAtSentPosition(first + i);
          BigInteger[] packed =
              StatsMath.pack(StatsMath.vector(columns, row, plan.fixedPoint(), plan.offsets()), plan.width(), plan.perPlaintext());
          for (BigInteger m : packed) {
            parts.add(CompletableFuture.supplyAsync(() -> enc.encrypt(m), executor));
          }
        }
        List<Ciphertext> cts = new ArrayList<>(parts.size());
        for (CompletableFuture<Ciphertext> f : parts) {
          cts.add(f.join());
        }
        tx.send(StatsRound.VALUES.key(b), keys.publicKey().encodeAll(cts));
        listener.onValues(first + n, items);
      }

      // OPENED: decrypt the masked sums, add noise, return.
      List<Ciphertext> masked =
          keys.publicKey().decodeAll(tx.receive(StatsRound.MASKED_SUMS.key(0), timeout), segments * plan.plaintexts());
      PaillierDecryptor dec = new PaillierDecryptor(keys.secretKey());
      BigInteger[] delta = StatsMath.sensitivities(plan.offsets());
      BigInteger[][] opened = new BigInteger[segments][];
      for (int s = 0; s < segments; s++) {
        BigInteger[] plaintexts = new BigInteger[plan.plaintexts()];
        for (int j = 0; j < plan.plaintexts(); j++) {
          plaintexts[j] = dec.decrypt(masked.get(s * plan.plaintexts() + j));
        }
        opened[s] = StatsMath.unpack(plaintexts, plan.slots(), plan.width(), plan.perPlaintext());
        for (int i = 0; i < plan.slots(); i++) {
          opened[s][i] = opened[s][i].add(params.noise().sample(delta[i], random));
        }
      }
      tx.send(StatsRound.OPENED.key(0), StatsMath.encodeSigned(opened));
      tx.confirm(StatsRound.CONFIRM.key(0), timeout);
      return new Result(psi, segments, layout, counting.stats(), Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
