package io.jointly.compliance.internal;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The canonical binary encoding of the compliance values: big-endian fixed-width integers, strings
 * and byte strings with a 4-byte length prefix (strings in UTF-8), optionals as a presence byte,
 * lists and maps with a 4-byte count (maps sorted by key). One value has exactly one encoding, so
 * two parties that hold equal values sign equal bytes.
 *
 * <p>The reader checks every length against what is left of the input and against a caller's
 * maximum before it allocates, so a peer cannot make it allocate more than it sent.
 */
public final class Codec {
  private Codec() {}

  /** Appends fields. Not thread-safe. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public Writer u8(int v) {
      if (v < 0 || v > 0xFF) {
        throw new IllegalArgumentException("u8 out of range: " + v);
      }
      out.write(v);
      return this;
    }

    public Writer u32(long v) {
      if (v < 0 || v > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("u32 out of range: " + v);
      }
      for (int s = 24; s >= 0; s -= 8) {
        out.write((int) (v >>> s));
      }
      return this;
    }

    public Writer i64(long v) {
      for (int s = 56; s >= 0; s -= 8) {
        out.write((int) (v >>> s));
      }
      return this;
    }

    public Writer bool(boolean v) {
      return u8(v ? 1 : 0);
    }

    public Writer bytes(Bytes b) {
      u32(b.length());
      out.writeBytes(b.toByteArray());
      return this;
    }

    public Writer string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u32(b.length);
      out.writeBytes(b);
      return this;
    }

    /** Seconds since the epoch (signed) and nanoseconds. */
    public Writer instant(Instant t) {
      i64(t.getEpochSecond());
      return u32(t.getNano());
    }

    public Writer optionalLong(OptionalLong v) {
      bool(v.isPresent());
      if (v.isPresent()) {
        i64(v.getAsLong());
      }
      return this;
    }

    public Writer optionalString(Optional<String> v) {
      bool(v.isPresent());
      v.ifPresent(this::string);
      return this;
    }

    public Writer optionalBytes(Optional<Bytes> v) {
      bool(v.isPresent());
      v.ifPresent(this::bytes);
      return this;
    }

    public Writer strings(List<String> values) {
      u32(values.size());
      values.forEach(this::string);
      return this;
    }

    public Writer byteStrings(List<Bytes> values) {
      u32(values.size());
      values.forEach(this::bytes);
      return this;
    }

    /** A map of strings, in key order. */
    public Writer stringMap(SortedMap<String, String> map) {
      u32(map.size());
      map.forEach(
          (k, v) -> {
            string(k);
            string(v);
          });
      return this;
    }

    /** A map of counts, in key order. */
    public Writer countMap(SortedMap<String, Long> map) {
      u32(map.size());
      map.forEach(
          (k, v) -> {
            string(k);
            i64(v);
          });
      return this;
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }

    public Bytes toBytes() {
      return Bytes.wrap(out.toByteArray());
    }
  }

  /**
   * Reads fields in order; every failure is a {@link ProtocolAbortException} of reason {@code
   * MALFORMED_MESSAGE} naming {@code what} (the message) and the field, never its content.
   */
  public static final class Reader {
    private final byte[] in;
    private final String what;
    private int pos;

    public Reader(Bytes payload, String what) {
      this.in = payload.toByteArray();
      this.what = what;
    }

    private void need(long n, String field) throws ProtocolAbortException {
      Abort.unlessWellFormed(
          n >= 0 && n <= in.length - pos, what + ": " + field + " runs past the end of the message");
    }

    public int u8(String field) throws ProtocolAbortException {
      need(1, field);
      return in[pos++] & 0xFF;
    }

    public long u32(String field) throws ProtocolAbortException {
      need(4, field);
      long v = 0;
      for (int i = 0; i < 4; i++) {
        v = (v << 8) | (in[pos++] & 0xFF);
      }
      return v;
    }

    public long i64(String field) throws ProtocolAbortException {
      need(8, field);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (in[pos++] & 0xFF);
      }
      return v;
    }

    public boolean bool(String field) throws ProtocolAbortException {
      int b = u8(field);
      Abort.unlessWellFormed(b <= 1, what + ": " + field + " is not a boolean");
      return b == 1;
    }

    /** A count of items of at least {@code minItemBytes} each, at most {@code max}. */
    public int count(String field, int max, int minItemBytes) throws ProtocolAbortException {
      long n = u32(field);
      Abort.unlessWellFormed(n <= max, what + ": " + field + " has " + n + " items, at most " + max);
      need(n * minItemBytes, field);
      return (int) n;
    }

    public Bytes bytes(String field, int maxLength) throws ProtocolAbortException {
      long n = u32(field);
      Abort.unlessWellFormed(
          n <= maxLength, what + ": " + field + " is " + n + " bytes, at most " + maxLength);
      need(n, field);
      Bytes b = Bytes.copyOf(in, pos, (int) n);
      pos += (int) n;
      return b;
    }

    public String string(String field, int maxLength) throws ProtocolAbortException {
      Bytes b = bytes(field, maxLength);
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(b.toByteArray()))
            .toString();
      } catch (CharacterCodingException e) {
        throw new ProtocolAbortException(
            ProtocolAbortException.Reason.MALFORMED_MESSAGE, what + ": " + field + " is not UTF-8");
      }
    }

    public Instant instant(String field) throws ProtocolAbortException {
      long seconds = i64(field);
      long nanos = u32(field);
      Abort.unlessWellFormed(nanos < 1_000_000_000L, what + ": " + field + " has invalid nanoseconds");
      try {
        return Instant.ofEpochSecond(seconds, nanos);
      } catch (java.time.DateTimeException e) {
        throw new ProtocolAbortException(
            ProtocolAbortException.Reason.MALFORMED_MESSAGE, what + ": " + field + " is out of range");
      }
    }

    public OptionalLong optionalLong(String field) throws ProtocolAbortException {
      return bool(field) ? OptionalLong.of(i64(field)) : OptionalLong.empty();
    }

    public Optional<String> optionalString(String field, int maxLength)
        throws ProtocolAbortException {
      return bool(field) ? Optional.of(string(field, maxLength)) : Optional.empty();
    }

    public Optional<Bytes> optionalBytes(String field, int maxLength) throws ProtocolAbortException {
      return bool(field) ? Optional.of(bytes(field, maxLength)) : Optional.empty();
    }

    public List<String> strings(String field, int maxItems, int maxLength)
        throws ProtocolAbortException {
      int n = count(field, maxItems, 4);
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(string(field, maxLength));
      }
      return out;
    }

    public List<Bytes> byteStrings(String field, int maxItems, int maxLength)
        throws ProtocolAbortException {
      int n = count(field, maxItems, 4);
      List<Bytes> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(bytes(field, maxLength));
      }
      return out;
    }

    /** A map written by {@link Writer#stringMap}; keys must be strictly increasing. */
    public SortedMap<String, String> stringMap(String field, int maxItems, int maxLength)
        throws ProtocolAbortException {
      return map(field, maxItems, maxLength, 8, f -> string(f, maxLength));
    }

    /** A map written by {@link Writer#countMap}; keys must be strictly increasing. */
    public SortedMap<String, Long> countMap(String field, int maxItems, int maxLength)
        throws ProtocolAbortException {
      return map(field, maxItems, maxLength, 12, this::i64);
    }

    /** Reads one value of a map. */
    private interface Value<V> {
      V read(String field) throws ProtocolAbortException;
    }

    private <V> SortedMap<String, V> map(String field, int maxItems, int maxKeyLength, int minEntryBytes, Value<V> value)
        throws ProtocolAbortException {
      int n = count(field, maxItems, minEntryBytes);
      TreeMap<String, V> out = new TreeMap<>();
      String previous = null;
      for (int i = 0; i < n; i++) {
        String k = string(field, maxKeyLength);
        Abort.unlessWellFormed(
            previous == null || previous.compareTo(k) < 0, what + ": " + field + " is not in key order");
        previous = k;
        out.put(k, value.read(field));
      }
      return out;
    }

    /** Fails unless every byte was read. */
    public void end() throws ProtocolAbortException {
      Abort.unlessWellFormed(pos == in.length, what + ": " + (in.length - pos) + " trailing bytes");
    }
  }
}
