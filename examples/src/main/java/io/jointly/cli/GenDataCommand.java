package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.DATA;
import static io.jointly.cli.HelpLayout.Section.OUTPUT;

import io.jointly.cli.HelpLayout.In;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jointly gen-data}: synthetic bank and partner files for trials and the demo. */
@Command(
    name = "gen-data",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic bank and partner files for a trial campaign.",
      "bank.csv has customer_no, mobile, segment columns and the campaign response (responded);"
          + " partner.csv has member_id, phone and behaviour columns, its phone numbers written in"
          + " several ways. The same --seed writes the same files."
    },
    customSynopsis = "jointly gen-data --out DIR [OPTIONS]",
    footerHeading = "%nExamples:%n",
    footer = {"  jointly gen-data --out data --customers 100000 --overlap 0.4 --seed 7"})
final class GenDataCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @In(OUTPUT)
  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The directory to write bank.csv and partner.csv to.")
  Path out;

  @In(DATA)
  @Option(
      names = "--customers",
      defaultValue = "10000",
      paramLabel = "N",
      description = "The bank's number of customers (default ${DEFAULT-VALUE}).")
  int customers;

  @In(DATA)
  @Option(
      names = "--overlap",
      defaultValue = "0.4",
      paramLabel = "SHARE",
      description = "The share of the bank's customers the partner also has (default ${DEFAULT-VALUE}).")
  double overlap;

  @In(DATA)
  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "The random seed (default ${DEFAULT-VALUE}).")
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
