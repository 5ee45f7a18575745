package io.jointly.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The one owner of what the tool writes to the terminal. Progress bars redraw a <em>status
 * line</em> in place ({@code \r} and no line end) until their work completes; anything else written
 * to stderr or stdout meanwhile (the {@code jointly:} error line, an SLF4J {@code WARN}, a summary)
 * would be glued to the end of that unfinished line. Here every such write first ends the open
 * status line, so each message starts on its own line; a bar that is still running redraws on the
 * next line.
 *
 * <p>{@link #install()} puts this in front of {@code System.err} and {@code System.out} when the
 * tool starts, so that everything written there passes through it: picocli's error output, the
 * commands' messages, and the SLF4J simple logger of {@code transport} (which looks up {@code
 * System.err} at each log call, see {@code simplelogger.properties}). The bars reach their terminal
 * with {@link #of(PrintStream)} from the stream they are given. Writes are serialised on this
 * object: a status line and a message from two threads never interleave within a line.
 */
final class Terminal {
  private static Terminal installed;

  private final PrintStream target;
  private final PrintStream err;
  private final PrintStream out;
  private boolean statusOpen;

  /**
   * A terminal whose status line and messages go to {@code err}, and other output to {@code out},
   * each encoding text in the given charset.
   */
  Terminal(PrintStream err, PrintStream out, Charset errCharset, Charset outCharset) {
    this.target = err;
    this.err = new Guarded(err, errCharset);
    this.out = out == err ? this.err : new Guarded(out, outCharset);
  }

  /**
   * Routes {@code System.err} and {@code System.out} through one terminal (once per process; later
   * calls do nothing). Called first thing in {@code main}, before anything logs.
   */
  static synchronized void install() {
    if (installed != null) {
      return;
    }
    installed =
        new Terminal(System.err, System.out, consoleCharset("stderr"), consoleCharset("stdout"));
    System.setErr(installed.err);
    System.setOut(installed.out);
  }

  /**
   * The terminal behind {@code stream}: the installed one if {@code stream} is its stderr or stdout,
   * else one of its own that writes to {@code stream} (in tests, where nothing else shares it).
   */
  static Terminal of(PrintStream stream) {
    if (stream instanceof Guarded g) {
      return g.owner();
    }
    return new Terminal(stream, stream, Charset.defaultCharset(), Charset.defaultCharset());
  }

  /** The stream for messages: each write starts on a line of its own if a status line is open. */
  PrintStream err() {
    return err;
  }

  /** The stream for results (stdout): each write, too, first ends an open status line. */
  PrintStream out() {
    return out;
  }

  /** Replaces the status line with {@code line} (without a line end; the next call redraws it). */
  synchronized void status(String line) {
    target.print('\r' + line);
    target.flush();
    statusOpen = true;
  }

  /** Ends the status line, if one is open, leaving it on screen (a completed bar stays). */
  synchronized void endStatus() {
    if (statusOpen) {
      statusOpen = false;
      target.print(System.lineSeparator());
      target.flush();
    }
  }

  /**
   * The encoding the JVM chose for {@code System.out}/{@code System.err} ({@code stdout.encoding}
   * from Java 19, {@code sun.stdout.encoding} when attached to a console before that, else the
   * default charset), so the streams put in front of them encode text as they did.
   */
  private static Charset consoleCharset(String stream) {
    for (String property : new String[] {stream + ".encoding", "sun." + stream + ".encoding"}) {
      String name = System.getProperty(property);
      if (name != null) {
        try {
          return Charset.forName(name);
        } catch (IllegalArgumentException e) {
          // an unknown name: fall through to the next source, as the JVM does
        }
      }
    }
    return Charset.defaultCharset();
  }

  /** A stream in front of stderr or stdout that ends the open status line before each write. */
  private final class Guarded extends PrintStream {
    Guarded(PrintStream target, Charset charset) {
      super(new EndingStatus(target), true, charset);
    }

    Terminal owner() {
      return Terminal.this;
    }
  }

  /** The bytes behind {@link Guarded}: each non-empty write ends the status line first. */
  private final class EndingStatus extends OutputStream {
    private final PrintStream target;

    EndingStatus(PrintStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      synchronized (Terminal.this) {
        endStatus();
        target.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len == 0) {
        return;
      }
      synchronized (Terminal.this) {
        endStatus();
        target.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }
  }
}
