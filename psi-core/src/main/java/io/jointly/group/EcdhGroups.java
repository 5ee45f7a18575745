package io.jointly.group;

/** The factory of the suites' {@link EcdhGroup}s with their Jointly domain-separation tags. */
public final class EcdhGroups {
  private EcdhGroups() {}

  /** The group of the given suite, with Jointly's default domain-separation tag. */
  public static EcdhGroup create(SuiteId suite) {
    switch (suite) {
      default:
        throw new IllegalStateException(suite + " is being implemented");
    }
  }
}
