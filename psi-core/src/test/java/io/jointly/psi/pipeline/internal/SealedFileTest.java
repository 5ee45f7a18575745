package io.jointly.psi.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work files: round trip, and every kind of tampering is caught when read back. */
class SealedFileTest {
  @TempDir Path tmp;

  private static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] readAll(InputStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void writeThenRead_manyBlocks_returnsTheSameBytes() throws Exception {
    WorkDir dir = WorkDir.fresh(tmp.resolve("w"), false, PipelineTestSupport.seeded(1));
    byte[] d = data(3 * SealedFile.BLOCK_BYTES + 123, 2);
    try (OutputStream out = dir.create("f")) {
      out.write(d, 0, 1000);
      out.write(d, 1000, d.length - 1000);
    }
    assertThat(readAll(dir.open("f", d.length))).isEqualTo(d);
    assertThat(dir.peakBytes()).isGreaterThan(d.length);
  }

  @Test
  void plainText_neverAppearsOnDisk() throws Exception {
    WorkDir dir = WorkDir.fresh(tmp.resolve("w"), false, PipelineTestSupport.seeded(1));
    byte[] d = "+8613800138000,+8613900139000,".repeat(100).getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = dir.create("f")) {
      out.write(d);
    }
    String onDisk = new String(Files.readAllBytes(tmp.resolve("w").resolve("f")), StandardCharsets.ISO_8859_1);
    assertThat(onDisk).doesNotContain("+8613800138000");
  }

  @Test
  void flippedByte_failsTheIntegrityCheck() throws Exception {
    WorkDir dir = WorkDir.fresh(tmp.resolve("w"), false, PipelineTestSupport.seeded(1));
    byte[] d = data(5000, 3);
    try (OutputStream out = dir.create("f")) {
      out.write(d);
    }
    Path f = tmp.resolve("w").resolve("f");
    byte[] raw = Files.readAllBytes(f);
    raw[40] ^= 1;
    Files.write(f, raw);
    assertThatThrownBy(() -> readAll(dir.open("f", d.length)))
        .isInstanceOf(WorkFileException.class)
        .hasMessageContaining("integrity");
  }

  @Test
  void truncatedFile_isAnErrorNotAShorterInput() throws Exception {
    WorkDir dir = WorkDir.fresh(tmp.resolve("w"), false, PipelineTestSupport.seeded(1));
    byte[] d = data(2 * SealedFile.BLOCK_BYTES, 4);
    try (OutputStream out = dir.create("f")) {
      out.write(d);
    }
    Path f = tmp.resolve("w").resolve("f");
    byte[] raw = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(raw, raw.length - SealedFile.BLOCK_BYTES - 24));
    assertThatThrownBy(() -> readAll(dir.open("f", d.length))).isInstanceOf(WorkFileException.class);
  }

  @Test
  void fileSwappedForAnother_failsTheIntegrityCheck() throws Exception {
    WorkDir dir = WorkDir.fresh(tmp.resolve("w"), false, PipelineTestSupport.seeded(1));
    byte[] d = data(1000, 5);
    for (String name : new String[] {"a", "b"}) {
      try (OutputStream out = dir.create(name)) {
        out.write(d);
      }
    }
    Files.copy(tmp.resolve("w").resolve("b"), tmp.resolve("w").resolve("a"), StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> readAll(dir.open("a", d.length))).isInstanceOf(WorkFileException.class);
  }

  @Test
  void appendAfterPosition_inANewEpoch_cutsWhatFollowedAndKeepsThePrefix() throws Exception {
    Path p = tmp.resolve("w");
    WorkDir first = WorkDir.fresh(p, true, PipelineTestSupport.seeded(1));
    byte[] a = data(70_000, 6);
    byte[] lost = data(9_000, 7);
    SealedFile.Position at;
    try (SealedFile.Writer w = first.create("f")) {
      w.write(a);
      at = w.sync();
      w.write(lost); // written after the checkpoint: a resume cuts it off
    }
    byte[] key = first.exportKey();
    first.close();
    WorkDir second = WorkDir.resumed(p, key, 1);
    byte[] b = data(5_000, 8);
    try (SealedFile.Writer w = second.append("f", at)) {
      w.write(b);
    }
    byte[] expected = new byte[a.length + b.length];
    System.arraycopy(a, 0, expected, 0, a.length);
    System.arraycopy(b, 0, expected, a.length, b.length);
    assertThat(readAll(second.open("f", expected.length))).isEqualTo(expected);
  }

  @Test
  void fileIds_ofALaterEpoch_areAboveEveryEarlierOnes() throws Exception {
    Path p = tmp.resolve("w");
    WorkDir first = WorkDir.fresh(p, true, PipelineTestSupport.seeded(1));
    try (SealedFile.Writer w = first.create("old")) {
      w.write(1);
    }
    byte[] key = first.exportKey();
    first.close();
    WorkDir second = WorkDir.resumed(p, key, 1);
    try (SealedFile.Writer w = second.create("new")) {
      w.write(2);
    }
    int oldId = SealedFile.getInt(Files.readAllBytes(p.resolve("old")), 4);
    int newId = SealedFile.getInt(Files.readAllBytes(p.resolve("new")), 4);
    assertThat(newId).isGreaterThan(oldId).isGreaterThanOrEqualTo(1 << 20);
  }

  @Test
  void deleteAll_removesTheDirectory() throws Exception {
    Path p = tmp.resolve("w");
    WorkDir dir = WorkDir.fresh(p, false, PipelineTestSupport.seeded(1));
    try (OutputStream out = dir.create("f")) {
      out.write(1);
    }
    dir.deleteAll();
    assertThat(p).doesNotExist();
    assertThat(dir.bytesNow()).isZero();
  }

  @Test
  void secondRunOnTheSameDirectory_isRefused() throws Exception {
    Path p = tmp.resolve("w");
    WorkDir one = WorkDir.fresh(p, true, PipelineTestSupport.seeded(1));
    one.lock();
    WorkDir two = WorkDir.fresh(p, true, PipelineTestSupport.seeded(2));
    assertThatThrownBy(two::lock).hasMessageContaining("another run");
    one.close();
  }
}
