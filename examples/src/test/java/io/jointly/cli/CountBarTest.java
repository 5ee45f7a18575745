package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CountBarTest {

  @Test
  void update_toTheTotal_drawsAFullBarAndEndsTheLineOnce() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(out, true, StandardCharsets.UTF_8);
    CountBar bar = new CountBar(Terminal.of(err), false, "partner features", "rows");
    bar.update(10, 40);
    bar.update(40, 40);
    bar.update(40, 40);
    String s = out.toString(StandardCharsets.UTF_8);
    assertThat(s).contains("partner features: [").contains("100%").contains("rows/s").contains("40/40");
    assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
  }

  @Test
  void update_quiet_printsNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CountBar bar = new CountBar(Terminal.of(new PrintStream(out, true, StandardCharsets.UTF_8)), true, "bank values", "vectors");
    bar.update(5, 5);
    assertThat(out.size()).isZero();
  }
}
