package io.jointly.psi.pipeline.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds which of this party's values are among the peer's: a hash join of two sequences of
 * fixed-width pseudo-random values (the truncated double-blinded values of ECDH PSI, or any
 * protocol's PRF outputs), each value identified by its position in its sequence.
 *
 * <p>If the peer's values fit the memory limit they go into one hash table and this party's are
 * looked up as they are read. Otherwise both sequences are first split into partitions by a hash
 * of the value (the values are uniform, so partitions come out even) and each partition is joined
 * on its own. Partitions never leave this party, so they reveal nothing to the peer.
 */
public final class HashJoin {
  private HashJoin() {}

  /** Bytes of memory per peer value in the table: the value, its position, two slot entries. */
  static long bytesPerEntry(int width) {
    return width + 8L + 8L;
  }

  /** Receives matches; a null sink counts only. */
  public interface MatchSink {
    void match(long ownPosition, long peerPosition) throws IOException;
  }

  /** The peer's sequence holds the same value twice. */
  public static final class RepeatedValueException extends Exception {
    private static final long serialVersionUID = 1L;

    RepeatedValueException() {
      super("the peer's values contain a repeat");
    }
  }

  /** A source of values in position order: an open stream of {@code count} values. */
  public interface Values {
    long count();

    InputStream open() throws IOException;
  }

  /** The values held in a spill. */
  public static Values of(Spill spill, int width) {
    return new Values() {
      @Override
      public long count() {
        return spill.length() / width;
      }

      @Override
      public InputStream open() throws IOException {
        return spill.open();
      }
    };
  }

  /**
   * Joins; returns the number of this party's values found among the peer's.
   *
   * @param width bytes per value
   * @param memoryBytes the memory the table may use
   * @param sink receives (own position, peer position) for each match, in no particular order;
   *     null to count only
   * @throws RepeatedValueException if the peer's values repeat one
   */
  public static long join(
      WorkDir dir, MemoryBudget budget, int width, Values peer, Values own, long memoryBytes, MatchSink sink)
      throws IOException, RepeatedValueException {
    long entries = Math.max(1, peer.count());
    int partitions = (int) Math.min(4096, Math.max(1, (entries * bytesPerEntry(width) + memoryBytes - 1) / memoryBytes));
    if (partitions == 1) {
      Table table = new Table(width, (int) peer.count());
      try (InputStream in = peer.open()) {
        table.load(in, peer.count(), false);
      }
      try (InputStream in = own.open()) {
        return table.probe(in, own.count(), false, sink);
      }
    }
    List<Spill> peerParts = partition(dir, budget, "join-peer", peer, width, partitions);
    List<Spill> ownParts = null;
    try {
      ownParts = partition(dir, budget, "join-own", own, width, partitions);
      long found = 0;
      for (int p = 0; p < partitions; p++) {
        Spill pp = peerParts.get(p);
        long n = pp.length() / (width + 8);
        if (n > Integer.MAX_VALUE - 8) {
          throw new IOException("a join partition is too large");
        }
        Table table = new Table(width, (int) n);
        try (InputStream in = pp.open()) {
          table.load(in, n, true);
        }
        pp.delete();
        Spill op = ownParts.get(p);
        try (InputStream in = op.open()) {
          found += table.probe(in, op.length() / (width + 8), true, sink);
        }
        op.delete();
      }
      return found;
    } finally {
      for (Spill s : peerParts) {
        s.delete();
      }
      if (ownParts != null) {
        for (Spill s : ownParts) {
          s.delete();
        }
      }
    }
  }

  /** 64 bits of the value, mixed (Stafford's mix13), for partitions and slots. */
  static long hash(byte[] v, int off, int width) {
    long h = 0;
    int n = Math.min(8, width);
    for (int i = 0; i < n; i++) {
      h = (h << 8) | (v[off + i] & 0xFF);
    }
    h ^= width > 8 ? (v[off + width - 1] & 0xFFL) << 56 : 0;
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }

  private static List<Spill> partition(WorkDir dir, MemoryBudget budget, String label, Values values, int width, int partitions)
      throws IOException {
    List<Spill> parts = new ArrayList<>(partitions);
    try {
      for (int p = 0; p < partitions; p++) {
        parts.add(Spill.create(dir, label + "-" + p, budget, false));
      }
      byte[] rec = new byte[width + 8];
      try (DataInputStream in = new DataInputStream(values.open())) {
        long n = values.count();
        for (long pos = 0; pos < n; pos++) {
          in.readFully(rec, 0, width);
          for (int i = 0; i < 8; i++) {
            rec[width + i] = (byte) (pos >>> (56 - 8 * i));
          }
          int p = (int) Long.remainderUnsigned(hash(rec, 0, width) >>> 32, partitions);
          parts.get(p).write(rec, 0, rec.length);
        }
      }
      for (Spill s : parts) {
        s.finish();
      }
      return parts;
    } catch (IOException | RuntimeException e) {
      for (Spill s : parts) {
        s.delete();
      }
      throw e;
    }
  }

  /** An insert-only open-addressing table of values with their positions. */
  static final class Table {
    private final int width;
    private final byte[] slab;
    private final long[] positions;
    private final int[] slots; // 0 empty, else 1 + entry index
    private final int mask;
    private int size;

    Table(int width, int capacity) {
      this.width = width;
      int cap = Math.max(1, capacity);
      this.slab = new byte[Math.multiplyExact(width, cap)];
      this.positions = new long[cap];
      int tableSize = Integer.highestOneBit(Math.max(4, cap * 2 - 1)) << 1;
      this.slots = new int[tableSize];
      this.mask = tableSize - 1;
    }

    void load(InputStream raw, long n, boolean withPositions) throws IOException, RepeatedValueException {
      DataInputStream in = new DataInputStream(raw);
      byte[] v = new byte[width + 8];
      for (long i = 0; i < n; i++) {
        in.readFully(v, 0, withPositions ? width + 8 : width);
        long pos = withPositions ? getLong(v, width) : i;
        if (!add(v, pos)) {
          throw new RepeatedValueException();
        }
      }
    }

    private boolean add(byte[] v, long pos) {
      int slot = (int) hash(v, 0, width) & mask;
      while (true) {
        int e = slots[slot];
        if (e == 0) {
          System.arraycopy(v, 0, slab, size * width, width);
          positions[size] = pos;
          slots[slot] = ++size;
          return true;
        }
        if (Arrays.equals(slab, (e - 1) * width, e * width, v, 0, width)) {
          return false;
        }
        slot = (slot + 1) & mask;
      }
    }

    /** The position stored with {@code v[0..width)}, or -1. */
    long find(byte[] v) {
      int slot = (int) hash(v, 0, width) & mask;
      while (true) {
        int e = slots[slot];
        if (e == 0) {
          return -1;
        }
        if (Arrays.equals(slab, (e - 1) * width, e * width, v, 0, width)) {
          return positions[e - 1];
        }
        slot = (slot + 1) & mask;
      }
    }

    long probe(InputStream raw, long n, boolean withPositions, MatchSink sink) throws IOException {
      DataInputStream in = new DataInputStream(raw);
      byte[] v = new byte[width + 8];
      long found = 0;
      for (long i = 0; i < n; i++) {
        in.readFully(v, 0, withPositions ? width + 8 : width);
        long at = find(v);
        if (at >= 0) {
          found++;
          if (sink != null) {
            sink.match(withPositions ? getLong(v, width) : i, at);
          }
        }
      }
      return found;
    }
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
