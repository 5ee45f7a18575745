package io.jointly.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jointly gen-data}: synthetic bank and partner files for trials and the demo. */
@Command(
    name = "gen-data",
    mixinStandardHelpOptions = true,
    description = "Write synthetic bank.csv and partner.csv for a credit-card campaign trial.")
final class GenDataCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "Directory to write bank.csv and partner.csv to.")
  Path out;

  @Option(names = "--customers", defaultValue = "10000", description = "Bank customers (default ${DEFAULT-VALUE}).")
  int customers;

  @Option(
      names = "--overlap",
      defaultValue = "0.4",
      description = "Fraction of bank customers the partner also has (default ${DEFAULT-VALUE}).")
  double overlap;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (customers < 1 || customers > 50_000_000) {
      throw new CliException(CliException.USAGE, "--customers must be between 1 and 50000000");
    }
    if (!(overlap >= 0 && overlap <= 1)) {
      throw new CliException(CliException.USAGE, "--overlap must be between 0 and 1");
    }
    SyntheticCampaign.Summary s = SyntheticCampaign.write(out, customers, overlap, seed);
    spec.commandLine().getOut().printf(
        "wrote %s (%d rows, %d responders) and %s (%d rows); %d customers shared%n",
        out.resolve("bank.csv"),
        s.bankRows(),
        s.responders(),
        out.resolve("partner.csv"),
        s.partnerRows(),
        s.shared());
    return 0;
  }
}
