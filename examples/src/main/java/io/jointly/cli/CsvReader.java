package io.jointly.cli;

import io.jointly.core.Bytes;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a CSV file one record at a time, keeping nothing of earlier records: a header row and data
 * rows of the same width. UTF-8 (strict: a malformed byte sequence is an error on its exact line),
 * RFC 4180 quoting (a quoted field may span lines), CR-LF or LF line ends, blank lines between
 * records ignored, a byte-order mark at the start dropped, the delimiter given or detected from the
 * header among comma, semicolon, tab and pipe. A file that starts with the gzip magic bytes is read
 * through gzip, whatever its name. Every error names the file, the line and, where it applies, the
 * column — never a value.
 *
 * <p>Lines are split on the raw bytes and each line is decoded on its own, so a bad byte is reported
 * on its own line (a decoder over a buffered stream fails ahead of the line it has handed out). The
 * reader hashes the file's bytes as it reads them (SHA-256, of the compressed bytes for gzip), so a
 * second pass can check the file did not change.
 *
 * <p>Not thread-safe.
 */
final class CsvReader implements AutoCloseable {
  private static final char[] CANDIDATES = {',', ';', '\t', '|'};
  private static final int CHUNK = 1 << 16;

  private final Path file;
  private final HashingStream raw;
  private final InputStream in;
  private final long size;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[CHUNK];
  private int chunkPos;
  private int chunkLimit;
  private byte[] lineBytes = new byte[256];
  private long physicalLine; // lines read so far
  private boolean eof;

  private char delimiter;
  private List<String> header;
  private Map<String, Integer> columnIndex;

  // the current record: its text and, per field, either a range of it or a materialised value
  private String text;
  private int fields;
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private String[] values = new String[16];
  private long recordLine;
  private long row = -1;

  private CsvReader(Path file, HashingStream raw, InputStream in, long size) {
    this.file = file;
    this.raw = raw;
    this.in = in;
    this.size = size;
  }

  /**
   * Opens {@code file} and reads its header; {@code delimiter} 0 means detect.
   *
   * @throws CliException (exit 3) naming the file: missing, unreadable, empty, or a bad header
   */
  static CsvReader open(Path file, char delimiter) throws CliException {
    InputStream fileIn;
    long size;
    try {
      fileIn = Files.newInputStream(file);
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw CliException.input(file + ": no such file");
    } catch (IOException e) {
      throw CliException.input(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    HashingStream raw = new HashingStream(fileIn);
    CsvReader r;
    try {
      BufferedInputStream buffered = new BufferedInputStream(raw, CHUNK);
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, CHUNK) : buffered;
      r = new CsvReader(file, raw, in, size);
    } catch (IOException e) {
      closeQuietly(raw);
      throw CliException.input(file + ": cannot be read as gzip (" + e.getClass().getSimpleName() + ")");
    }
    try {
      r.readHeader(delimiter);
      return r;
    } catch (CliException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  private static void closeQuietly(InputStream s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  private void readHeader(char given) throws CliException {
    String first = nextLine();
    if (first != null && !first.isEmpty() && first.charAt(0) == '\uFEFF') {
      first = first.substring(1); // a byte-order mark, as spreadsheet exports write
    }
    if (first == null || first.isBlank()) {
      throw CliException.input(file + ": the file is empty (a header row is required)");
    }
    delimiter = given != 0 ? given : detect(first);
    parseRecord(first, 1);
    List<String> names = new ArrayList<>();
    for (int c = 0; c < fields; c++) {
      names.add(field(c).trim());
    }
    for (int c = 0; c < names.size(); c++) {
      if (names.get(c).isEmpty()) {
        throw CliException.input(file + ": line 1: column " + (c + 1) + " has no name");
      }
      int firstAt = names.indexOf(names.get(c));
      if (firstAt < c) {
        throw CliException.input(
            file + ": line 1: columns " + (firstAt + 1) + " and " + (c + 1) + " have the same name");
      }
    }
    header = Collections.unmodifiableList(names);
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      idx.put(names.get(i), i);
    }
    columnIndex = idx;
  }

  private static char detect(String headerLine) {
    char best = ',';
    int bestCount = 0;
    for (char c : CANDIDATES) {
      int n = 0;
      boolean quoted = false;
      for (int i = 0; i < headerLine.length(); i++) {
        char ch = headerLine.charAt(i);
        if (ch == '"') {
          quoted = !quoted;
        } else if (ch == c && !quoted) {
          n++;
        }
      }
      if (n > bestCount) {
        best = c;
        bestCount = n;
      }
    }
    return best;
  }

  Path file() {
    return file;
  }

  char delimiter() {
    return delimiter;
  }

  List<String> header() {
    return header;
  }

  /** The index of a column, or an input error naming the file and the missing column. */
  int column(String name) throws CliException {
    Integer i = columnIndex.get(name);
    if (i == null) {
      throw CliException.input(file + ": no column '" + name + "' (columns: " + String.join(", ", header) + ")");
    }
    return i;
  }

  /**
   * Moves to the next data record.
   *
   * @return false at the end of the file
   * @throws CliException (exit 3) for a malformed record, naming its line
   */
  boolean next() throws CliException {
    String line;
    do {
      line = nextLine();
      if (line == null) {
        text = null;
        return false;
      }
    } while (line.isEmpty()); // blank lines between records are ignored
    long start = physicalLine;
    parseRecord(line, start);
    if (fields != header.size()) {
      throw CliException.input(
          file + ": line " + start + " has " + fields + " fields, the header has " + header.size());
    }
    row++;
    return true;
  }

  /** The physical line (1-based) on which the current record starts. */
  long line() {
    return recordLine;
  }

  /** The current record's index among the data rows (0-based). */
  long row() {
    return row;
  }

  int fieldCount() {
    return fields;
  }

  /** A field of the current record. */
  String field(int i) {
    if (i >= fields) {
      throw new IndexOutOfBoundsException(i);
    }
    String v = values[i];
    return v != null ? v : text.substring(starts[i], ends[i]);
  }

  /** All fields of the current record (a new array). */
  String[] fields() {
    String[] out = new String[fields];
    for (int i = 0; i < fields; i++) {
      out[i] = field(i);
    }
    return out;
  }

  /** Bytes of the file read so far (compressed bytes for gzip). */
  long bytesRead() {
    return raw.count;
  }

  /** The file's size in bytes. */
  long sizeBytes() {
    return size;
  }

  /** Reads the rest of the file and returns the SHA-256 of all its bytes. */
  Bytes digest() throws CliException {
    try {
      byte[] skip = new byte[CHUNK];
      while (in.read(skip) >= 0) {
        // drain what the parser did not need (a gzip trailer, trailing bytes)
      }
      while (raw.read(skip) >= 0) {
        // and what gzip did not need
      }
    } catch (IOException e) {
      throw CliException.input(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return Bytes.wrap(raw.digest.digest());
  }

  /**
   * The lines on which the given data rows (0-based; -1 for none) start, reading the file again:
   * for error messages about rows found after the file was read. A row not found gives -1.
   */
  static long[] linesOf(Path file, char delimiter, long... rows) {
    long[] lines = new long[rows.length];
    java.util.Arrays.fill(lines, -1);
    try (CsvReader r = open(file, delimiter)) {
      long last = java.util.Arrays.stream(rows).max().orElse(-1);
      while (r.row() < last && r.next()) {
        for (int i = 0; i < rows.length; i++) {
          if (rows[i] == r.row()) {
            lines[i] = r.line();
          }
        }
      }
    } catch (CliException e) {
      // the file changed or broke since: the message names rows instead
    }
    return lines;
  }

  /** The SHA-256 of {@code file}'s bytes, without parsing it. */
  static Bytes digestOf(Path file) throws CliException {
    try (HashingStream h = new HashingStream(Files.newInputStream(file))) {
      byte[] b = new byte[CHUNK];
      while (h.read(b) >= 0) {
        // hash everything
      }
      return Bytes.wrap(h.digest.digest());
    } catch (NoSuchFileException e) {
      throw CliException.input(file + ": no such file");
    } catch (IOException e) {
      throw CliException.input(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  // ------------------------------------------------------------------ lines

  /** The next physical line, decoded, without its line end; null at the end of the file. */
  private String nextLine() throws CliException {
    if (eof) {
      return null;
    }
    int len = 0;
    boolean ascii = true;
    try {
      while (true) {
        if (chunkPos == chunkLimit) {
          int n = in.read(chunk);
          if (n < 0) {
            eof = true;
            if (len == 0) {
              return null;
            }
            break; // the last line, without a line break
          }
          chunkPos = 0;
          chunkLimit = n;
        }
        int from = chunkPos;
        int i = from;
        while (i < chunkLimit && chunk[i] != '\n') {
          ascii &= chunk[i] >= 0;
          i++;
        }
        int n = i - from;
        if (len + n > lineBytes.length) {
          lineBytes = Arrays.copyOf(lineBytes, Math.max(lineBytes.length * 2, len + n));
        }
        System.arraycopy(chunk, from, lineBytes, len, n);
        len += n;
        if (i < chunkLimit) {
          chunkPos = i + 1;
          break;
        }
        chunkPos = chunkLimit;
      }
    } catch (ZipException e) {
      throw CliException.input(file + ": line " + (physicalLine + 1) + ": the gzip data is damaged");
    } catch (IOException e) {
      throw CliException.input(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    physicalLine++;
    if (len > 0 && lineBytes[len - 1] == '\r') {
      len--;
    }
    if (ascii) {
      return new String(lineBytes, 0, len, StandardCharsets.ISO_8859_1);
    }
    try {
      return utf8.decode(ByteBuffer.wrap(lineBytes, 0, len)).toString();
    } catch (CharacterCodingException e) {
      throw CliException.input(file + ": line " + physicalLine + " is not valid UTF-8");
    }
  }

  // ------------------------------------------------------------------ records

  private void addField(int start, int end, String value) {
    if (fields == starts.length) {
      starts = Arrays.copyOf(starts, fields * 2);
      ends = Arrays.copyOf(ends, fields * 2);
      values = Arrays.copyOf(values, fields * 2);
    }
    starts[fields] = start;
    ends[fields] = end;
    values[fields] = value;
    fields++;
  }

  /** Parses the record that starts with {@code line} (physical line {@code startLine}). */
  private void parseRecord(String line, long startLine) throws CliException {
    text = line;
    recordLine = startLine;
    fields = 0;
    char d = delimiter;
    int pos = 0;
    int fieldStart = 0;
    StringBuilder quotedValue = null; // non-null while the current field is (or was) quoted
    boolean quoted = false;
    while (true) {
      if (pos >= text.length()) {
        if (quoted) {
          String more = nextLine();
          if (more == null) {
            throw CliException.input(
                file + ": line " + startLine + " column " + (fields + 1) + ": quoted field is not closed");
          }
          quotedValue.append('\n');
          // the fields before this one are ranges of the line being left: keep their values
          for (int i = 0; i < fields; i++) {
            if (values[i] == null) {
              values[i] = text.substring(starts[i], ends[i]);
            }
          }
          text = more;
          pos = 0;
          fieldStart = 0;
          continue;
        }
        if (quotedValue != null) {
          addField(0, 0, quotedValue.toString());
        } else {
          addField(fieldStart, pos, null);
        }
        return;
      }
      char c = text.charAt(pos++);
      if (quoted) {
        if (c == '"') {
          if (pos < text.length() && text.charAt(pos) == '"') {
            quotedValue.append('"');
            pos++;
          } else {
            quoted = false;
          }
        } else {
          quotedValue.append(c);
        }
      } else if (c == d) {
        if (quotedValue != null) {
          addField(0, 0, quotedValue.toString());
          quotedValue = null;
        } else {
          addField(fieldStart, pos - 1, null);
        }
        fieldStart = pos;
      } else if (c == '"' && quotedValue == null && text.substring(fieldStart, pos - 1).isBlank()) {
        quotedValue = new StringBuilder();
        quoted = true;
      } else if (c == '"') {
        throw CliException.input(
            file + ": line " + (physicalLine) + " column " + (fields + 1) + ": stray quote in field");
      } else if (quotedValue != null) {
        quotedValue.append(c);
      }
    }
  }

  /** Counts and hashes the bytes read through it. */
  private static final class HashingStream extends FilterInputStream {
    final MessageDigest digest;
    long count;

    HashingStream(InputStream in) {
      super(in);
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every Java platform", e);
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        digest.update((byte) b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, CHUNK)];
      int r = read(buf, 0, buf.length);
      return Math.max(r, 0);
    }
  }
}
