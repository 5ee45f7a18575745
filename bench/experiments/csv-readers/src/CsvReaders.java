import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * EXPERIMENT (see README.md): reads the same CSV with Jointly's CsvReader, FastCSV and Commons CSV,
 * taking the key column of every record and its line, as jointly psi does; times each in alternating
 * rounds; then reports where each puts an error for a malformed UTF-8 byte on line 1501.
 */
public final class CsvReaders {
  interface Reading {
    long run(Path file) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rows = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Path file = dir.resolve("rows.csv");
    if (!Files.exists(file)) {
      StringBuilder b = new StringBuilder("customer_no,mobile,segment,note\n");
      try (var w = Files.newBufferedWriter(file)) {
        w.write("customer_no,mobile,segment,note\n");
        for (int i = 0; i < rows; i++) {
          w.write("C" + i + ",+86 138-" + String.format("%04d-%04d", i % 10000, i / 10000 % 10000)
              + ",seg" + (i % 7) + "," + (i % 50 == 0 ? "\"a, quoted \"\"note\"\"\"" : "plain") + "\n");
        }
      }
    }
    // Jointly's reader lives in the examples module (package-private): called reflectively.
    Class<?> jr = Class.forName("io.jointly.cli.CsvReader");
    Method open = jr.getDeclaredMethod("open", Path.class, char.class);
    Method next = jr.getDeclaredMethod("next");
    Method field = jr.getDeclaredMethod("field", int.class);
    Method line = jr.getDeclaredMethod("line");
    for (Method m : new Method[] {open, next, field, line}) {
      m.setAccessible(true);
    }
    Reading jointly = f -> {
      long sum = 0;
      try (AutoCloseable r = (AutoCloseable) open.invoke(null, f, ',')) {
        while ((boolean) next.invoke(r)) {
          sum += ((String) field.invoke(r, 1)).length() + (long) line.invoke(r);
        }
      }
      return sum;
    };
    Reading fast = f -> {
      long sum = 0;
      try (var r = de.siegmar.fastcsv.reader.CsvReader.builder().ofCsvRecord(strict(f))) {
        boolean header = true;
        for (CsvRecord rec : r) {
          if (header) {
            header = false;
            continue;
          }
          sum += rec.getField(1).length() + rec.getStartingLineNumber();
        }
      }
      return sum;
    };
    Reading commons = f -> {
      long sum = 0;
      try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(strict(f))) {
        for (CSVRecord rec : p) {
          sum += rec.get(1).length() + p.getCurrentLineNumber();
        }
      }
      return sum;
    };
    String[] names = {"jointly CsvReader", "FastCSV 4.0.0", "Commons CSV 1.14.1"};
    Reading[] readers = {jointly, fast, commons};
    long[][] nanos = new long[readers.length][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < readers.length; i++) {
        long t = System.nanoTime();
        readers[i].run(file);
        nanos[i][round] = System.nanoTime() - t;
      }
    }
    double mb = Files.size(file) / 1e6;
    for (int i = 0; i < readers.length; i++) {
      long[] n = nanos[i].clone();
      Arrays.sort(n);
      double median = n[n.length / 2] / 1e9;
      System.out.printf("%-20s median %.2f s over %d rounds (after the first): %.0f MB/s, %.0f ns/row%n",
          names[i], median, rounds, mb / median, median * 1e9 / rows);
    }
    // Where does each report a malformed UTF-8 byte on line 1501 of 3000?
    Path bad = dir.resolve("bad.csv");
    var bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes("id,name\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 2; i <= 3000; i++) {
      if (i == 1501) {
        bytes.writeBytes(new byte[] {'7', ',', (byte) 0xC3, (byte) 0x28, '\n'});
      } else {
        bytes.writeBytes((i + ",张" + i + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    Files.write(bad, bytes.toByteArray());
    for (int i = 0; i < readers.length; i++) {
      String outcome;
      try {
        readers[i].run(bad);
        outcome = "no error (the bad byte was read as something)";
      } catch (Exception e) {
        Throwable c = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
        outcome = c.getClass().getSimpleName() + ": " + String.valueOf(c.getMessage()).replace('\n', ' ');
      }
      System.out.printf("%-20s bad byte on line 1501: %s%n", names[i], outcome);
    }
  }

  /** A reader that fails on malformed UTF-8 (the default decoders replace it silently). */
  static Reader strict(Path f) throws IOException {
    return new BufferedReader(
        new InputStreamReader(
            Files.newInputStream(f),
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)),
        1 << 16);
  }
}
