package io.jointly.cli;

import io.jointly.transport.ThrowawayCa;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jointly tls-init}: a throwaway CA and certificates for trials. */
@Command(
    name = "tls-init",
    mixinStandardHelpOptions = true,
    description = {
      "Create a throwaway CA and a certificate and key for each named party, for trials.",
      "Writes ca.crt, NAME.crt and NAME.key (owner-only). Give each party ca.crt and only its own",
      "NAME.crt and NAME.key. Production deployments bring their own CA's PEM files instead."
    })
final class TlsInitCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "Directory for the PEM files.")
  Path out;

  @Option(
      names = "--parties",
      required = true,
      split = ",",
      description = "Party names, e.g. bank,partner.")
  List<String> parties;

  @Override
  public Integer call() throws Exception {
    try {
      ThrowawayCa.create().writeFiles(out, parties);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, e.getMessage());
    }
    spec.commandLine().getOut().println("wrote " + out.resolve("ca.crt") + " and certificates for " + String.join(", ", parties));
    return 0;
  }
}
