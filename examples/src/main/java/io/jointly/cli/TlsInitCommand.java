package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.CONNECTION;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;

import io.jointly.cli.HelpLayout.In;
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
      "Create a throwaway CA and a certificate for each party, for trials.",
      "Writes ca.crt and, for each party, NAME.crt and NAME.key (readable by the owner only). Give"
          + " each party ca.crt and only its own NAME.crt and NAME.key, over a trusted path."
          + " Production deployments bring their own CA's PEM files, with the same names, instead."
    },
    customSynopsis = "jointly tls-init --out DIR --parties NAME[,NAME...]",
    footerHeading = "%nExamples:%n",
    footer = {
      "  jointly tls-init --out tls --parties bank,partner",
      "  # for aggregate: the server and three clients",
      "  jointly tls-init --out pki --parties aggregator,client-1,client-2,client-3"
    })
final class TlsInitCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @In(OUTPUT)
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The directory for the PEM files.")
  Path out;

  @In(CONNECTION)
  @Option(
      names = "--parties",
      required = true,
      split = ",",
      paramLabel = "NAME",
      description = "The parties' names, as --name and --peer give them later.")
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
