package io.jointly.cli;

import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jointly} command-line tool. Each party runs it as its own process; nothing but
 * protocol messages crosses between them. Exit codes: 0 success, 1 internal error (a bug), 2 usage,
 * 3 input error, 4 peer, protocol or TLS error.
 */
@Command(
    name = "jointly",
    mixinStandardHelpOptions = true,
    version = "jointly 0.1.0",
    description = "Privacy-preserving joint marketing between a bank and a partner.",
    subcommands = {
      CommandLine.HelpCommand.class,
      GenDataCommand.class,
      TlsInitCommand.class,
      PsiCommand.class,
      PsiIcCommand.class,
      StatsCommand.class,
      TrainCommand.class,
      ScoreCommand.class,
      AggregateCommand.class,
      DemoCommand.class
    })
public final class Main implements Runnable {
  /** The exit code of an unexpected failure (a bug; the message names the exception). */
  static final int INTERNAL = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the tool and returns its exit code (for tests). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          int code = exitCode(e);
          commandLine.getErr().println(
              "jointly: "
                  + (code == INTERNAL ? "internal error (" + e.getClass().getSimpleName() + "): " : "")
                  + message(e));
          return code;
        });
    return cl.execute(args);
  }

  static int exitCode(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof InputException) {
      return CliException.INPUT;
    }
    if (e instanceof ProtocolAbortException || e instanceof ChannelException) {
      return CliException.PEER;
    }
    if (e instanceof java.io.IOException) {
      return CliException.INPUT;
    }
    // Anything else is a bug, not the user's input: an IllegalArgumentException thrown mid-run by
    // the library is not a usage error (option values are checked, and mapped to USAGE, where the
    // commands turn them into library parameters).
    return INTERNAL;
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
