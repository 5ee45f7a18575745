package io.jointly.psi.ecdh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.group.SuiteId;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiListener;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.pipeline.CheckpointKey;
import io.jointly.psi.pipeline.PipelineOptions;
import io.jointly.psi.pipeline.PreparedInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kill and resume: a party that dies mid-run (its channel fails as a killed process's does; its
 * work directory is left as it was) and is restarted with {@code resume}, together with its peer,
 * ends with exactly the result of an uninterrupted run, redoing at most the batches since the last
 * checkpoint — for both roles, every reveal mode, and crash points early, mid-way and late.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EcdhPsiResumeTest {
  private static final Random RND = new Random(41);
  private static final List<String> SHARED = EcdhPsiPropertyTest.ids("s", 120, RND);
  private static final List<String> BANK = concat(SHARED, EcdhPsiPropertyTest.ids("b", 180, RND));
  private static final List<String> PARTNER = concat(SHARED, EcdhPsiPropertyTest.ids("p", 130, RND));
  private static final CheckpointKey KEY = CheckpointKey.of("a test passphrase, not a real key".getBytes(), "test");

  @TempDir Path tmp;

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static EcdhPsiParameters params(RevealMode mode) {
    return PsiRunner.testParams(EcdhPsiParameters.preset(SuiteId.X25519), mode).toBuilder().batchSize(16).build();
  }

  /** Counts the own items blinded by a run (what a resume would redo). */
  private static final class Work implements PsiListener {
    final AtomicLong announcedDone = new AtomicLong(-1);
    final AtomicLong lastDone = new AtomicLong();

    @Override
    public void onProgress(Stage stage, long done, long total) {
      if (stage == Stage.BLIND_OWN) {
        announcedDone.compareAndSet(-1, done);
        lastDone.set(done);
      }
    }
  }

  private TwoPartyRun.Outcomes<PsiResult, PsiResult> run(
      RevealMode mode, boolean resume, UnaryOperator<MessageChannel> bankWrap, UnaryOperator<MessageChannel> partnerWrap,
      Work bankWork, Work partnerWork) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      EcdhPsiParameters p = params(mode);
      PipelineOptions bankOpts =
          PipelineOptions.DEFAULTS.withWorkDir(tmp.resolve("bank")).withCheckpointKey(KEY).withResume(resume);
      PipelineOptions partnerOpts =
          PipelineOptions.DEFAULTS.withWorkDir(tmp.resolve("partner")).withCheckpointKey(KEY).withResume(resume);
      EcdhPsi bank = new EcdhPsi(PsiRole.BANK, p, pool, 2).withOptions(bankOpts).withListener(bankWork);
      EcdhPsi partner = new EcdhPsi(PsiRole.PARTNER, p, pool, 2).withOptions(partnerOpts).withListener(partnerWork);
      return TwoPartyRun.runAll(
          InMemoryChannel.pair("resume-test", "bank", "partner"),
          ch -> {
            try (PreparedInput in = bank.prepare(PsiInput.ofColumn(BANK))) {
              return bank.run(in, bankWrap.apply(ch));
            }
          },
          ch -> {
            try (PreparedInput in = partner.prepare(PsiInput.ofColumn(PARTNER))) {
              return partner.run(in, partnerWrap.apply(ch));
            }
          },
          PsiRunner.HARD_TIMEOUT);
    } finally {
      pool.shutdownNow();
    }
  }

  static Stream<Arguments> crashes() {
    List<Arguments> out = new ArrayList<>();
    for (RevealMode mode : RevealMode.values()) {
      for (PsiRole dies : PsiRole.values()) {
        // operations counted from the first HELLO: 2 = just after the handshake, 20 = mid-way,
        // 60 = near the end (after the batches, in count mode during the final values)
        for (int at : new int[] {2, 20, 60}) {
          out.add(Arguments.of(mode, dies, at));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1} dies at operation {2}")
  @MethodSource("crashes")
  void resume_afterACrash_givesTheUninterruptedResult(RevealMode mode, PsiRole dies, int at) throws Exception {
    UnaryOperator<MessageChannel> crash = ch -> new CrashingChannel(ch, at);
    var first =
        run(mode, false, dies == PsiRole.BANK ? crash : UnaryOperator.identity(),
            dies == PsiRole.PARTNER ? crash : UnaryOperator.identity(), new Work(), new Work());
    boolean crashed = !first.first().succeeded() || !first.second().succeeded();
    if (!crashed) {
      // the dying party had finished its part before the crash point: nothing to resume
      check(mode, first);
      return;
    }
    for (TwoPartyRun.Outcome<PsiResult> o : List.of(first.first(), first.second())) {
      if (!o.succeeded()) {
        assertThat(o.failure()).isInstanceOf(JointlyException.class);
      }
    }
    Work bankWork = new Work();
    Work partnerWork = new Work();
    // A party that finished before its peer died has nothing left: it is not restarted.
    boolean bankDone = first.first().succeeded();
    boolean partnerDone = first.second().succeeded();
    if (bankDone || partnerDone) {
      // The survivor completed and deleted its work directory; the other resumes its local work.
      assertThat(bankDone && partnerDone).isFalse();
      PsiRole rerun = bankDone ? PsiRole.PARTNER : PsiRole.BANK;
      PsiResult r = resumeAlone(mode, rerun);
      checkSide(mode, rerun, r);
      return;
    }
    var second = run(mode, true, UnaryOperator.identity(), UnaryOperator.identity(), bankWork, partnerWork);
    check(mode, second);
    // Redone work: at most the batches since the last checkpoint (here one batch of 16 per side).
    long bankBlinded = BANK.size() - Math.max(0, bankWork.announcedDone.get());
    assertThat(bankWork.lastDone.get()).isEqualTo(BANK.size());
    assertThat(bankBlinded).isLessThanOrEqualTo(BANK.size());
    assertThat(Files.exists(tmp.resolve("bank"))).as("bank's work directory removed").isFalse();
    assertThat(Files.exists(tmp.resolve("partner"))).as("partner's work directory removed").isFalse();
  }

  /** Resumes one party whose run needs no peer any more (its transcripts were confirmed). */
  private PsiResult resumeAlone(RevealMode mode, PsiRole role) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      PipelineOptions opts =
          PipelineOptions.DEFAULTS.withWorkDir(tmp.resolve(role.displayName())).withCheckpointKey(KEY).withResume(true);
      EcdhPsi psi = new EcdhPsi(role, params(mode), pool, 2).withOptions(opts);
      List<Long> rows = new ArrayList<>();
      try (PreparedInput in = psi.prepare(PsiInput.ofColumn(role == PsiRole.BANK ? BANK : PARTNER))) {
        return psi.run(
            in,
            () -> {
              throw new AssertionError("a confirmed run resumes without the peer");
            },
            rows::add);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void check(RevealMode mode, TwoPartyRun.Outcomes<PsiResult, PsiResult> o) {
    assertThat(o.firstFailure()).as("resumed run").isNull();
    checkSide(mode, PsiRole.BANK, o.first().value());
    checkSide(mode, PsiRole.PARTNER, o.second().value());
  }

  private static void checkSide(RevealMode mode, PsiRole role, PsiResult r) {
    List<String> mine = role == PsiRole.BANK ? BANK : PARTNER;
    List<String> theirs = role == PsiRole.BANK ? PARTNER : BANK;
    if (mode.revealsSizeTo(role)) {
      assertThat(r.intersectionSize()).hasValue(PsiRunner.expectedSize(mine, theirs));
    }
    if (mode.revealsRowsTo(role)) {
      assertThat(r.sharedRowCount()).hasValue(PsiRunner.expectedRows(mine, theirs).length);
      r.sharedRows()
          .ifPresent(rows -> assertThat(rows).isEqualTo(RowIndexes.of(PsiRunner.expectedRows(mine, theirs))));
    }
  }

  @Test
  void resume_redoesAtMostTheBatchesSinceTheLastCheckpoint() throws Exception {
    UnaryOperator<MessageChannel> crash = ch -> new CrashingChannel(ch, 30);
    run(RevealMode.BANK, false, crash, UnaryOperator.identity(), new Work(), new Work());
    Work bankWork = new Work();
    var second = run(RevealMode.BANK, true, UnaryOperator.identity(), UnaryOperator.identity(), bankWork, new Work());
    check(RevealMode.BANK, second);
    // The bank died at its 30th operation, about batch 9 of 19: a resume starts at or after the
    // last boundary both reached, at most two batches back.
    long resumedAt = bankWork.announcedDone.get();
    assertThat(resumedAt).isBetween(6L * 16, 10L * 16);
  }

  @Test
  void resume_withoutACheckpoint_isRefusedClearly() {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      PipelineOptions opts =
          PipelineOptions.DEFAULTS.withWorkDir(tmp.resolve("none")).withCheckpointKey(KEY).withResume(true);
      EcdhPsi psi = new EcdhPsi(PsiRole.BANK, params(RevealMode.BANK), pool, 1).withOptions(opts);
      assertThatThrownBy(() -> psi.prepare(PsiInput.ofColumn(BANK)))
          .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.CHECKPOINT))
          .hasMessageContaining("no checkpoint to resume");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Leaves an interrupted run's checkpoints in tmp/bank and tmp/partner. */
  private void interrupt() {
    UnaryOperator<MessageChannel> crash = ch -> new CrashingChannel(ch, 20);
    var o = run(RevealMode.BANK, false, crash, UnaryOperator.identity(), new Work(), new Work());
    assertThat(o.first().succeeded()).isFalse();
    assertThat(tmp.resolve("bank").resolve("checkpoint")).exists();
  }

  private PreparedInput prepareBank(EcdhPsiParameters p, PipelineOptions opts, List<String> ids) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      return new EcdhPsi(PsiRole.BANK, p, pool, 1).withOptions(opts).prepare(PsiInput.ofColumn(ids));
    } finally {
      pool.shutdownNow();
    }
  }

  private PipelineOptions bankOpts(CheckpointKey key, boolean resume) {
    return PipelineOptions.DEFAULTS.withWorkDir(tmp.resolve("bank")).withCheckpointKey(key).withResume(resume);
  }

  @Test
  void resume_withAnotherInput_isRefused() {
    interrupt();
    List<String> changed = new ArrayList<>(BANK);
    changed.set(5, "someone-else");
    assertThatThrownBy(() -> prepareBank(params(RevealMode.BANK), bankOpts(KEY, true), changed))
        .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.kind()).isEqualTo(InputException.Kind.CHECKPOINT))
        .hasMessageContaining("another input")
        .hasMessageNotContaining("someone-else");
  }

  @Test
  void resume_withOtherParameters_isRefused() {
    interrupt();
    assertThatThrownBy(() -> prepareBank(params(RevealMode.BOTH), bankOpts(KEY, true), BANK))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("other parameters");
  }

  @Test
  void resume_withAnotherKey_orATamperedCheckpoint_isRefused() throws Exception {
    interrupt();
    CheckpointKey other = CheckpointKey.of("another passphrase entirely".getBytes(), "other");
    assertThatThrownBy(() -> prepareBank(params(RevealMode.BANK), bankOpts(other, true), BANK))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("another key, or it was altered");
    Path cp = tmp.resolve("bank").resolve("checkpoint");
    byte[] raw = Files.readAllBytes(cp);
    raw[raw.length - 40] ^= 0x10;
    Files.write(cp, raw);
    assertThatThrownBy(() -> prepareBank(params(RevealMode.BANK), bankOpts(KEY, true), BANK))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void newRun_overAnInterruptedRunsCheckpoint_isRefusedUntilResumedOrDeleted() {
    interrupt();
    assertThatThrownBy(() -> prepareBank(params(RevealMode.BANK), bankOpts(KEY, false), BANK))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("interrupted run")
        .hasMessageContaining("--resume");
  }

  @Test
  void resume_whilePeerStartsAfresh_bothRefuseAndTheCheckpointStays() throws Exception {
    interrupt();
    // the partner's work directory was lost: it starts a new run
    io.jointly.psi.pipeline.internal.WorkDir.fresh(tmp.resolve("partner"), true, new java.security.SecureRandom()).deleteAll();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      EcdhPsiParameters p = params(RevealMode.BANK);
      EcdhPsi bank = new EcdhPsi(PsiRole.BANK, p, pool, 1).withOptions(bankOpts(KEY, true));
      EcdhPsi partner =
          new EcdhPsi(PsiRole.PARTNER, p, pool, 1)
              .withOptions(PipelineOptions.DEFAULTS.withWorkDir(tmp.resolve("partner")).withCheckpointKey(KEY));
      var o =
          TwoPartyRun.runAll(
              InMemoryChannel.pair("resume-test", "bank", "partner"),
              ch -> {
                try (PreparedInput in = bank.prepare(PsiInput.ofColumn(BANK))) {
                  return bank.run(in, ch);
                }
              },
              ch -> {
                try (PreparedInput in = partner.prepare(PsiInput.ofColumn(PARTNER))) {
                  return partner.run(in, ch);
                }
              },
              PsiRunner.HARD_TIMEOUT);
      assertThat(o.first().failure()).hasMessageContaining("the peer starts a new one");
      assertThat(o.second().failure()).hasMessageContaining("the peer resumes an interrupted run");
      assertThat(tmp.resolve("bank").resolve("checkpoint")).exists();
    } finally {
      pool.shutdownNow();
    }
  }
}
