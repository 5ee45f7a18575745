package io.jointly.cli;

import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code jointly} command-line tool. Each party runs it as its own process; nothing but
 * protocol messages crosses between them. Exit codes: 0 success, 1 internal error (a bug), 2 usage,
 * 3 input error, 4 peer, protocol or TLS error.
 */
@Command(
    name = "jointly",
    mixinStandardHelpOptions = true,
    version = "jointly " + Main.VERSION,
    customSynopsis = "jointly COMMAND [OPTIONS]",
    description = {
      "Privacy-preserving joint marketing between a bank and a partner.",
      "Each party runs jointly on its own machine; only protocol messages cross between them, over"
          + " mutual TLS. A campaign finds the shared customers (psi), describes them (stats),"
          + " trains a response model (train) and scores them (score). To try it all on this"
          + " machine, run jointly demo."
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  jointly demo",
      "  jointly psi --help"
    },
    subcommands = {
      GenDataCommand.class,
      TlsInitCommand.class,
      PsiCommand.class,
      PsiIcCommand.class,
      StatsCommand.class,
      TrainCommand.class,
      ScoreCommand.class,
      AggregateCommand.class,
      AuditCommand.class,
      OprfCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** The version, as {@code --version} prints it and receipts record it. */
  static final String VERSION = "0.1.0";

  /** The software name and version receipts record. */
  static final String SOFTWARE = "jointly " + VERSION;

  /** The exit code of an unexpected failure (a bug; the message names the exception). */
  static final int INTERNAL = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // First, so that every line written to stderr or stdout, logged ones too, goes through the one
    // writer that ends an open progress bar's line before it.
    Terminal.install();
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the tool and returns its exit code (for tests). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  /** The tool's command line, configured as it runs: help layout, usage and failure handling. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    HelpLayout.apply(cl);
    cl.getSubcommands()
        .get("help")
        .getCommandSpec()
        .usageMessage()
        .footerHeading("%nExamples:%n")
        .footer("  jointly help psi");
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionStrategy(Main::execute);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          int code = exitCode(e);
          commandLine.getErr().println(
              "jointly: "
                  + (code == INTERNAL ? "internal error (" + e.getClass().getSimpleName() + "): " : "")
                  + message(e));
          return code;
        });
    return cl;
  }

  /**
   * Runs the command the arguments name, once nothing in them is left unexplained. picocli answers
   * {@code --help} even when a word before or after it matched nothing ({@code jointly serve
   * --help} would print the top-level help and exit 0): a misspelt command must be a usage error
   * that a script can tell from success, with or without {@code --help}.
   */
  private static int execute(ParseResult parsed) {
    CommandLine root = parsed.commandSpec().commandLine();
    for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      if (!p.unmatched().isEmpty()) {
        throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
      }
      if (p.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
        // jointly help NAME: picocli's own message for an unknown NAME lists no command.
        for (PositionalParamSpec words : p.matchedPositionals()) {
          List<String> named = words.stringValues();
          if (!named.isEmpty() && !root.getSubcommands().containsKey(named.get(0))) {
            throw new UnmatchedArgumentException(root, named.subList(0, 1));
          }
        }
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /**
   * A usage error: one {@code jointly:} line that says what is wrong, then where to read more,
   * never the whole option list (which would push the line that matters off the screen). An unknown
   * command names the commands there are; {@code jointly} alone prints the help.
   */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    CommandLine root = cl;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    if (e instanceof NoCommand) {
      cl.usage(err);
      return CliException.USAGE;
    }
    // The command is the first word that is not one of the root's options; if it is unknown, that
    // is the error to report, whatever picocli found wrong with the words after it.
    String word = null;
    for (String arg : args) {
      if (!root.getCommandSpec().optionsMap().containsKey(arg)) {
        word = root.getSubcommands().containsKey(arg) ? null : arg;
        break;
      }
    }
    if (word == null && cl == root && e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      word = u.getUnmatched().get(0); // jointly help NAME, see execute
    }
    if (word != null && !word.startsWith("-")) {
      err.println(
          "jointly: unknown command '"
              + word
              + "'; the commands are "
              + String.join(", ", commandNames(root))
              + ".");
      err.println("Run 'jointly --help' for what each one does.");
      return CliException.USAGE;
    }
    // picocli starts some messages with "Error: "; the jointly: prefix says as much.
    err.println("jointly: " + e.getMessage().replaceFirst("^Error: ", ""));
    err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for its options and an example.");
    return CliException.USAGE;
  }

  /** The names of the commands under {@code root}, in the order its help lists them. */
  static List<String> commandNames(CommandLine root) {
    return List.copyOf(root.getSubcommands().keySet());
  }

  /** {@code jointly} without a command: a usage error, answered with the help. */
  private static final class NoCommand extends ParameterException {
    private static final long serialVersionUID = 1L;

    NoCommand(CommandLine cl) {
      super(cl, "name a command");
    }
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
    if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
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
    throw new NoCommand(spec.commandLine());
  }
}
