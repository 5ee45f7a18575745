package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.psi.PsiListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The terminal's one rule: whatever is written while a progress bar's status line is open starts on
 * a line of its own, whether it is the {@code jointly:} error line, a logged warning or stdout.
 */
class TerminalTest {
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final Terminal terminal =
      new Terminal(
          new PrintStream(errBytes, true, StandardCharsets.UTF_8),
          new PrintStream(outBytes, true, StandardCharsets.UTF_8),
          StandardCharsets.UTF_8,
          StandardCharsets.UTF_8);

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void message_whileAStatusLineIsOpen_startsOnItsOwnLine() {
    terminal.status("bank: [##    ] 20%");
    terminal.status("bank: [###   ] 30%");
    terminal.err().println("jointly: IO: connection to partner lost");

    assertThat(err())
        .isEqualTo("\rbank: [##    ] 20%\rbank: [###   ] 30%\njointly: IO: connection to partner lost\n");
  }

  @Test
  void message_withNoStatusLineOpen_isWrittenAsIs() {
    terminal.err().println("bank: listening on 127.0.0.1:9443 for partner");
    terminal.status("bank: [######] 100%");
    terminal.endStatus();
    terminal.endStatus();
    terminal.err().println("bank: 40 shared customers; training");

    assertThat(err())
        .isEqualTo(
            "bank: listening on 127.0.0.1:9443 for partner\n"
                + "\rbank: [######] 100%\n"
                + "bank: 40 shared customers; training\n");
  }

  @Test
  void status_afterAMessage_isRedrawnOnTheNextLine() {
    terminal.status("bank: [#     ] 10%");
    terminal.err().print("a warning\n");
    terminal.status("bank: [##    ] 20%");

    assertThat(err()).isEqualTo("\rbank: [#     ] 10%\na warning\n\rbank: [##    ] 20%");
  }

  @Test
  void stdout_whileAStatusLineIsOpen_endsTheStatusLineOnStderrFirst() {
    terminal.status("bank: [######] 99%");
    terminal.out().println("bank: 40 shared");

    assertThat(err()).isEqualTo("\rbank: [######] 99%\n");
    assertThat(outBytes.toString(StandardCharsets.UTF_8)).isEqualTo("bank: 40 shared\n");
  }

  @Test
  void errorLine_afterAnUnfinishedProgressBar_startsOnItsOwnLine() {
    // What Main does on a failure midway: the bar is open, picocli's error writer prints.
    ProgressBar bar = new ProgressBar(terminal.err(), false, "bank");
    bar.onHandshake(1000, 1000);
    bar.onProgress(PsiListener.Stage.BLIND_OWN, 0, 1000);
    bar.onProgress(PsiListener.Stage.BLIND_OWN, 100, 1000);
    PrintWriter errorWriter = new PrintWriter(terminal.err(), true);
    errorWriter.println("jointly: IO: connection to partner lost");

    String[] lines = err().split("\n", -1);
    assertThat(lines).hasSize(4);
    assertThat(lines[0]).startsWith("bank: handshake ok");
    assertThat(lines[1]).startsWith("\rbank: [").contains("10%");
    assertThat(lines[2]).isEqualTo("jointly: IO: connection to partner lost");
    assertThat(lines[3]).isEmpty();
  }

  @Test
  void loggedWarning_whileABarIsOpen_startsOnItsOwnLine() {
    // slf4j-simple, as configured in simplelogger.properties, writes to System.err as it is at
    // each call: the stream the installed terminal puts there.
    PrintStream saved = System.err;
    System.setErr(terminal.err());
    try {
      CountBar bar = new CountBar(terminal, false, "bank values", "vectors");
      bar.update(3, 10);
      LoggerFactory.getLogger(TerminalTest.class).warn("stream to the peer reset; retrying");
      bar.update(10, 10);
    } finally {
      System.setErr(saved);
    }

    String[] lines = err().split("\n", -1);
    assertThat(lines).hasSize(4);
    assertThat(lines[0]).startsWith("\rbank values: [").contains("3/10");
    assertThat(lines[1]).startsWith("WARN").endsWith("stream to the peer reset; retrying");
    assertThat(lines[2]).startsWith("\rbank values: [").contains("10/10");
    assertThat(lines[3]).isEmpty();
  }

  @Test
  void of_theInstalledStream_isThatTerminal() {
    assertThat(Terminal.of(terminal.err())).isSameAs(terminal);
    assertThat(Terminal.of(terminal.out())).isSameAs(terminal);
  }
}
