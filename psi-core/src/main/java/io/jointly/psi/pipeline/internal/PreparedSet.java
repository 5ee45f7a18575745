package io.jointly.psi.pipeline.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A party's distinct items in send order, with the rows that carry each: the protocol-neutral
 * output of preparation ({@link ItemPreparer}).
 *
 * <ul>
 *   <li>{@code items}: for each position 0..n-1, {@code length(u16) bytes} of the encoded item.
 *   <li>{@code rows}: for each position, its rows in increasing order, each a big-endian {@code
 *       u64}; the first row of a position has the top bit clear, the others ({@link #SAME_ITEM})
 *       set.
 * </ul>
 *
 * <p>Positions follow a keyed hash of the item under a key that is fresh per run and never stored,
 * so send order is a pseudo-random permutation, independent of row order.
 */
public final class PreparedSet {
  /** Marks a row that carries the same item as the row before it in {@code rows}. */
  public static final long SAME_ITEM = 1L << 63;

  private final Spill items;
  private final Spill rows;
  private final long rowCount;
  private final long distinct;
  private final long invalidSkipped;
  private final long duplicateRows;

  PreparedSet(Spill items, Spill rows, long rowCount, long distinct, long invalidSkipped, long duplicateRows) {
    this.items = items;
    this.rows = rows;
    this.rowCount = rowCount;
    this.distinct = distinct;
    this.invalidSkipped = invalidSkipped;
    this.duplicateRows = duplicateRows;
  }

  /** The set recorded in a checkpoint, its spills already on disk. */
  public static PreparedSet restore(
      WorkDir dir, MemoryBudget budget, long rowCount, long distinct, long invalid, long duplicates, long itemsBytes, long rowsBytes) {
    return new PreparedSet(
        Spill.existing(dir, ItemPreparer.ITEMS, budget, itemsBytes),
        Spill.existing(dir, ItemPreparer.ROWS, budget, rowsBytes),
        rowCount,
        distinct,
        invalid,
        duplicates);
  }

  public long rowCount() {
    return rowCount;
  }

  /** Distinct items (the set size). */
  public long size() {
    return distinct;
  }

  public long invalidSkipped() {
    return invalidSkipped;
  }

  public long duplicateRows() {
    return duplicateRows;
  }

  public long itemsBytes() {
    return items.length();
  }

  public long rowsBytes() {
    return rows.length();
  }

  /** Reads items in send order. */
  public static final class ItemReader implements AutoCloseable {
    private final DataInputStream in;
    private long position;

    ItemReader(InputStream in) {
      this.in = new DataInputStream(in);
    }

    /** The next item's bytes (a new array). */
    public byte[] next() throws IOException {
      int len = in.readUnsignedShort();
      byte[] b = new byte[len];
      in.readFully(b);
      position++;
      return b;
    }

    /** Skips {@code n} items. */
    public void skip(long n) throws IOException {
      for (long i = 0; i < n; i++) {
        int len = in.readUnsignedShort();
        if (in.skipBytes(len) != len) {
          throw new EOFException("items end early");
        }
        position++;
      }
    }

    public long position() {
      return position;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Items from position 0. */
  public ItemReader items() throws IOException {
    return new ItemReader(items.open());
  }

  /** For each position, its first row (for the in-memory alignment). */
  public int[] firstRows() throws IOException {
    if (distinct > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("too many items for an in-memory alignment");
    }
    int[] first = new int[(int) distinct];
    int p = 0;
    try (DataInputStream in = new DataInputStream(rows.open())) {
      for (long r = 0; r < rowCount - invalidSkipped; r++) {
        long v = in.readLong();
        if ((v & SAME_ITEM) == 0) {
          first[p++] = (int) v;
        }
      }
    }
    return first;
  }

  /** Receives the rows of matched positions. */
  public interface RowEmitter {
    /**
     * @param row a row of a matched item
     * @param peerPosition the peer's position of the match
     * @param firstOfItem whether this is the item's first row
     */
    void row(long row, long peerPosition, boolean firstOfItem) throws IOException;
  }

  /**
   * For each match (own position, peer position) of {@code matchedByPosition}, in increasing own
   * position (16-byte records: two big-endian u64), emits every row of that own position.
   */
  public void emitRows(RecordCursor matchedByPosition, RowEmitter emitter) throws IOException {
    try (DataInputStream in = new DataInputStream(rows.open())) {
      RowStream rs = new RowStream(in, rowCount - invalidSkipped);
      long group = -1;
      long last = -1;
      while (matchedByPosition.next()) {
        byte[] b = matchedByPosition.buffer();
        int o = matchedByPosition.offset();
        long own = HashJoin.getLong(b, o);
        long peer = HashJoin.getLong(b, o + 8);
        if (own <= last) {
          throw new IOException("matches are not in increasing position order");
        }
        last = own;
        long first = -1;
        while (group < own) {
          long v = rs.next();
          if (v == RowStream.END) {
            throw new IOException("a match names a position beyond the set");
          }
          if ((v & SAME_ITEM) == 0) {
            group++;
            first = v;
          }
        }
        emitter.row(first, peer, true);
        while (true) {
          long v = rs.next();
          if (v == RowStream.END) {
            break;
          }
          if ((v & SAME_ITEM) == 0) {
            rs.unread(v);
            break;
          }
          emitter.row(v & ~SAME_ITEM, peer, false);
        }
      }
    }
  }

  /** The rows file with one row of look-ahead. */
  private static final class RowStream {
    static final long END = -1;
    private final DataInputStream in;
    private final long total;
    private long read;
    private long back = END;

    RowStream(DataInputStream in, long total) {
      this.in = in;
      this.total = total;
    }

    long next() throws IOException {
      if (back != END) {
        long v = back;
        back = END;
        return v;
      }
      if (read == total) {
        return END;
      }
      read++;
      return in.readLong();
    }

    void unread(long v) {
      back = v;
    }
  }

  /** Frees the memory or deletes the files. */
  public void delete() throws IOException {
    items.delete();
    rows.delete();
  }
}
