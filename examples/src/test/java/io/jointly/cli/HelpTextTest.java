package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.cli.CliProcess.Result;
import io.jointly.cli.HelpLayout.Section;
import io.jointly.psi.IdentifierProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * What a new user reads first: every command's help, rendered as {@code --help} renders it. The
 * rules checked here:
 *
 * <ul>
 *   <li>A command's summary (the first paragraph of its description, which the command list shows)
 *       is one sentence ending with a full stop, short enough for one line of the command list.
 *   <li>Every description paragraph, of a command or an option, ends with a full stop: text is
 *       never wrapped by hand across paragraphs, so no phrase is broken between two of them.
 *   <li>No line is wider than the usage width, and text breaks only at spaces: every word of the
 *       descriptions appears whole in the rendered help.
 *   <li>Every option sits under a section heading, the same section in every command.
 *   <li>Every command shows examples, and each parses (picocli only: nothing is run) to that
 *       command; the synopsis names every required option.
 * </ul>
 */
class HelpTextTest {
  private static final int WIDTH = 80;

  /**
   * The one option whose section differs between commands: the seed of the synthetic data in
   * {@code demo} and {@code gen-data}, the training split's seed in {@code train}.
   */
  private static final Set<String> SECTION_DEPENDS_ON_COMMAND = Set.of("--seed");

  static Stream<String> commands() {
    return Main.commandLine().getSubcommands().keySet().stream();
  }

  private static CommandLine command(String name) {
    return Main.commandLine().getSubcommands().get(name);
  }

  /** The summary the command list shows: picocli's header if any (its help command), else the first paragraph. */
  private static String summary(CommandLine cl) {
    String[] header = cl.getCommandSpec().usageMessage().header();
    return header.length > 0 ? header[0] : cl.getCommandSpec().usageMessage().description()[0];
  }

  private static boolean isPicocliHelp(CommandLine cl) {
    return cl.getCommand() instanceof CommandLine.HelpCommand;
  }

  // --- summaries and descriptions -------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("commands")
  void summary_isOneSentenceThatFitsOneLineOfTheCommandList(String name) {
    String summary = summary(command(name));

    assertThat(summary).endsWith(".").doesNotContain(". ").doesNotContain("\n");
    assertThat(Character.isUpperCase(summary.charAt(0))).as(summary).isTrue();
    // The command list indents summaries past the longest command name.
    int longest = commands().mapToInt(String::length).max().orElseThrow();
    assertThat(summary.length()).as(summary).isLessThanOrEqualTo(WIDTH - 2 - longest - 2);
  }

  @Test
  void topLevelHelp_listsEachCommandWithItsWholeSummaryOnOneLine() {
    Result r = CliProcess.runInProcess("--help");
    assertThat(r.exitCode()).isZero();
    List<String> lines = r.stdout().lines().toList();

    commands()
        .forEach(
            name ->
                assertThat(lines)
                    .as("the command list's line for %s", name)
                    .anySatisfy(
                        l ->
                            assertThat(l.trim().split(" +", 2))
                                .containsExactly(name, summary(command(name)))));
    assertThat(summary(Main.commandLine())).endsWith(".");
    assertLinesFit(r.stdout());
  }

  @ParameterizedTest
  @MethodSource("commands")
  void descriptions_everyParagraphEndsWithAFullStop(String name) {
    CommandLine cl = command(name);
    if (isPicocliHelp(cl)) {
      return; // picocli's own text
    }
    for (String paragraph : cl.getCommandSpec().usageMessage().description()) {
      assertThat(paragraph.trim()).as("a paragraph of %s's description", name).endsWith(".");
    }
    for (OptionSpec o : cl.getCommandSpec().options()) {
      for (String paragraph : o.description()) {
        assertThat(paragraph.trim()).as("%s %s", name, o.longestName()).endsWith(".");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void help_fitsTheWidthAndBreaksLinesOnlyBetweenWords(String name) {
    CommandLine cl = command(name);
    String help = cl.getUsageMessage();

    assertLinesFit(help);
    Set<String> rendered = new HashSet<>(Arrays.asList(help.split("\\s+")));
    List<String> paragraphs = new ArrayList<>(Arrays.asList(cl.getCommandSpec().usageMessage().description()));
    for (OptionSpec o : cl.getCommandSpec().options()) {
      paragraphs.addAll(Arrays.asList(o.description()));
    }
    if (isPicocliHelp(cl)) {
      return; // picocli lays out its help command's text itself
    }
    for (String paragraph : paragraphs) {
      for (String word : paragraph.trim().split("\\s+")) {
        assertThat(rendered).as("%s: the word '%s' appears whole", name, word).contains(word);
      }
    }
  }

  // --- options by section ---------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("commands")
  void options_eachUnderASectionHeading(String name) {
    CommandLine cl = command(name);
    String help = cl.getUsageMessage();
    Map<Section, List<OptionSpec>> sections = HelpLayout.sections(cl.getCommandSpec());

    assertThat(sections).doesNotContainKey(Section.OTHER);
    int previous = -1;
    for (Map.Entry<Section, List<OptionSpec>> e : sections.entrySet()) {
      int heading = help.indexOf("\n" + e.getKey().heading + ":\n");
      assertThat(heading).as("%s shows the heading %s", name, e.getKey().heading).isGreaterThan(previous);
      for (OptionSpec o : e.getValue()) {
        int at = help.indexOf(o.longestName(), heading);
        assertThat(at).as("%s lists %s under %s", name, o.longestName(), e.getKey()).isPositive();
      }
      previous = heading;
    }
  }

  @Test
  void options_sameNameSameSectionInEveryCommand() {
    Map<String, Map<Section, List<String>>> seen = new HashMap<>();
    commands()
        .forEach(
            name ->
                HelpLayout.sections(command(name).getCommandSpec())
                    .forEach(
                        (section, options) ->
                            options.forEach(
                                o ->
                                    seen.computeIfAbsent(o.longestName(), k -> new HashMap<>())
                                        .computeIfAbsent(section, k -> new ArrayList<>())
                                        .add(name))));
    seen.keySet().removeAll(SECTION_DEPENDS_ON_COMMAND);

    assertThat(seen).allSatisfy((option, bySection) -> assertThat(bySection).as(option).hasSize(1));
  }

  // --- synopsis and examples ------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("commands")
  void synopsis_namesEveryRequiredOption(String name) {
    CommandLine cl = command(name);
    String synopsis = String.join("\n", cl.getCommandSpec().usageMessage().customSynopsis());
    if (isPicocliHelp(cl)) {
      return;
    }
    assertThat(synopsis).as("%s has a synopsis of its own", name).isNotEmpty();
    List<String> lines = synopsis.lines().toList();
    for (String continuation : lines.subList(1, lines.size())) {
      assertThat(continuation).as("continuation lines are indented").startsWith(" ");
    }
    for (OptionSpec o : cl.getCommandSpec().options()) {
      ArgGroupSpec group = o.group();
      boolean required = o.required() || (group != null && group.multiplicity().min() > 0);
      if (required) {
        assertThat(synopsis).as("%s's synopsis", name).contains(o.longestName());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void examples_shownAndEachParsesToThisCommand(String name) {
    List<List<String>> examples = examples(command(name).getCommandSpec().usageMessage().footer());

    assertThat(examples).as("%s's help shows an example", name).isNotEmpty();
    assertThat(command(name).getUsageMessage()).contains("\nExamples:\n");
    for (List<String> example : examples) {
      assertThat(example.get(0)).isEqualTo("jointly");
      List<String> args = example.subList(1, example.size());
      ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
      assertThat(parsed.hasSubcommand()).as("%s", example).isTrue();
      assertThat(parsed.subcommand().commandSpec().name()).as("%s", example).isEqualTo(name);
      assertThat(parsed.unmatched()).isEmpty();
      assertThat(parsed.subcommand().unmatched()).isEmpty();
    }
  }

  @Test
  void examples_ofTheTopLevelHelp_parse() {
    List<List<String>> examples = examples(Main.commandLine().getCommandSpec().usageMessage().footer());

    assertThat(examples).isNotEmpty();
    for (List<String> example : examples) {
      ParseResult parsed =
          Main.commandLine().parseArgs(example.subList(1, example.size()).toArray(String[]::new));
      assertThat(parsed.hasSubcommand()).as("%s", example).isTrue();
    }
  }

  /**
   * The examples in a footer: a line starting with {@code jointly} and the lines it continues with a
   * trailing backslash, split into words (no quoting is used in examples); comment lines are left
   * out.
   */
  static List<List<String>> examples(String[] footer) {
    List<List<String>> examples = new ArrayList<>();
    List<String> current = null;
    for (String line : footer) {
      String text = line.trim();
      if (current == null && !text.startsWith("jointly")) {
        assertThat(text).as("a footer line is an example or a comment").startsWith("#");
        continue;
      }
      if (current == null) {
        current = new ArrayList<>();
      }
      boolean continues = text.endsWith("\\");
      String words = continues ? text.substring(0, text.length() - 1) : text;
      assertThat(words).as("examples use no quoting").doesNotContain("\"").doesNotContain("'");
      current.addAll(Arrays.asList(words.trim().split("\\s+")));
      if (!continues) {
        examples.add(current);
        current = null;
      }
    }
    assertThat(current).as("the last example does not end in a backslash").isNull();
    return examples;
  }

  // --- usage errors -----------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "no-such-command",
        "no-such-command --help",
        "--help no-such-command",
        "help no-such-command",
        "no-such-command psi --role bank"
      })
  void unknownCommand_withOrWithoutHelp_isAUsageErrorNamingTheCommands(String args) {
    Result r = CliProcess.runInProcess(args.split(" "));

    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stdout()).as("no help on stdout, which a script would take for success").isEmpty();
    assertThat(r.stderr()).startsWith("jointly: unknown command 'no-such-command'");
    commands().forEach(c -> assertThat(r.stderr()).contains(c));
  }

  @Test
  void noCommand_isAUsageErrorThatShowsTheCommands() {
    Result r = CliProcess.runInProcess();

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("Commands:");
    commands().forEach(c -> assertThat(r.stderr()).contains(c));
  }

  @Test
  void strayWordAfterACommand_withHelp_isAUsageError() {
    Result r = CliProcess.runInProcess("psi", "stray", "--help");

    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("jointly: ").contains("'stray'").contains("jointly psi --help");
  }

  @Test
  void usageError_isOneLineAndAPointerNotTheWholeHelp() {
    Result r = CliProcess.runInProcess("psi", "--role", "bank");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("jointly: Missing required options");
  }

  // --- --normalize has no default -------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"psi", "stats", "train", "score"})
  void identifiers_withoutNormalize_isAUsageErrorNamingTheChoices(String name) {
    List<String> args =
        new ArrayList<>(
            List.of(
                name, "--role", "bank", "--listen", "127.0.0.1:0", "--insecure", "--input",
                "bank.csv", "--id", "mobile"));
    if (name.equals("train")) {
      args.addAll(List.of("--model-out", "model"));
    }
    if (name.equals("score")) {
      args.addAll(List.of("--model", "model"));
    }
    Result r = CliProcess.runInProcess(args.toArray(String[]::new));

    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("Missing required option: '--normalize=phone|email|cn-id|raw'")
        .contains("jointly " + name + " --help");
  }

  @Test
  void normalizeChoices_areTheProfiles() {
    assertThat(AlignedCommand.PROFILES)
        .isEqualTo(
            Stream.of(IdentifierProfile.values())
                .map(IdentifierProfile::displayName)
                .collect(Collectors.joining("|")));
  }

  private static void assertLinesFit(String text) {
    for (String line : text.lines().toList()) {
      assertThat(line.length()).as("width of: %s", line).isLessThanOrEqualTo(WIDTH);
    }
  }
}
