package io.jointly.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's {@code --help} lays out its options: under headings by what an operator
 * decides (who and where, what goes in, what both parties must agree on, what comes out), the same
 * headings in the same order in every command. Each option field says its section with {@link In};
 * the options picocli adds ({@code --help}, {@code --version}) go under {@link Section#HELP}.
 */
final class HelpLayout {
  private HelpLayout() {}

  /**
   * Options are listed in declaration order within their section, except those with picocli's
   * {@code order} set to this (after the rest: {@code --report}) or {@link #LAST} ({@code --quiet}).
   */
  static final int LATER = 50;

  /** The {@code order} of an option listed last in its section. */
  static final int LAST = 100;

  /** The option sections, in the order the help shows them. */
  enum Section {
    CONNECTION("Party and connection"),
    INPUT("Input"),
    DATA("Synthetic data"),
    PROTOCOL("Protocol (every party must give the same)"),
    CHECKS("Checks on the identifiers"),
    COMPLIANCE("Purpose, policy and audit"),
    LIMITS("Purpose, budgets and limits"),
    TRAINING("Training (set at the bank; the partner follows)"),
    RESOURCES("Memory, threads and resume (this party only)"),
    OUTPUT("Output"),
    HELP("Help"),
    /** Options without a section: none should be (a test checks), but none is ever hidden. */
    OTHER("Other options");

    final String heading;

    Section(String heading) {
      this.heading = heading;
    }
  }

  /** The help section of the option this field declares. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  @interface In {
    Section value();
  }

  /**
   * Lays out the help of {@code root} and all its subcommands: options by section, and text wrapped
   * at spaces only (picocli's own wrapping also breaks after a full stop, as in {@code ca.} / {@code
   * crt}). The root lists its commands before its options. The description of picocli's {@code
   * help} command keeps picocli's layout (it holds format specifiers).
   */
  static void apply(CommandLine root) {
    List<String> keys = new ArrayList<>(root.getHelpSectionKeys());
    keys.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
    keys.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
    int options = keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING);
    keys.add(options, UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
    keys.add(options, UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
    root.setHelpSectionKeys(keys);
    layOut(root);
  }

  private static void layOut(CommandLine cl) {
    cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::options);
    if (!(cl.getCommand() instanceof CommandLine.HelpCommand)) {
      cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, HelpLayout::description);
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      layOut(sub);
    }
  }

  /** The section of {@code option}: its field's {@link In}, or HELP for picocli's own options. */
  static Section sectionOf(OptionSpec option) {
    if (option.userObject() instanceof Field f) {
      In in = f.getAnnotation(In.class);
      if (in != null) {
        return in.value();
      }
      if (f.getDeclaringClass().getName().startsWith("picocli.")) {
        return Section.HELP;
      }
    }
    return Section.OTHER;
  }

  /** The options of {@code spec} by section, each section in declaration order. */
  static Map<Section, List<OptionSpec>> sections(CommandLine.Model.CommandSpec spec) {
    Map<Section, List<OptionSpec>> bySection = new EnumMap<>(Section.class);
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        bySection.computeIfAbsent(sectionOf(o), s -> new ArrayList<>()).add(o);
      }
    }
    // A stable sort: declaration order among options of equal rank.
    bySection.values().forEach(l -> l.sort(Comparator.comparingInt(o -> Math.max(0, o.order()))));
    return bySection;
  }

  private static String options(CommandLine.Help help) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<Section, List<OptionSpec>> e : sections(help.commandSpec()).entrySet()) {
      text.append(help.createHeading("%n" + e.getKey().heading + ":%n"));
      // One layout per section, each sized for all the command's options: the columns align
      // across sections. Each description line is a line of its own in the layout.
      Help.Layout layout = help.createDefaultLayout();
      Help.Column[] columns = layout.textTable().columns();
      Help.Column column = columns[columns.length - 1];
      int width = column.width - column.indent - 1;
      for (OptionSpec o : e.getValue()) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : o.description()) {
          lines.addAll(wrap(paragraph, width));
        }
        layout.addOption(
            OptionSpec.builder(o)
                .names(o.names()) // as interpolated: picocli names its own options with variables
                .paramLabel(o.paramLabel())
                .description(lines.toArray(String[]::new))
                .build(),
            help.parameterLabelRenderer());
      }
      text.append(layout);
    }
    return text.toString();
  }

  /** The command's description, each paragraph wrapped to the usage width. */
  private static String description(CommandLine.Help help) {
    StringBuilder text = new StringBuilder();
    int width = help.commandSpec().usageMessage().width() - 1;
    for (String paragraph : help.commandSpec().usageMessage().description()) {
      for (String line : wrap(paragraph, width)) {
        text.append(line).append(System.lineSeparator());
      }
    }
    return text.toString();
  }

  /**
   * {@code text} in lines of at most {@code width} characters, broken at spaces only (a word longer
   * than the width gets a line of its own).
   */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.trim().split(" +")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
