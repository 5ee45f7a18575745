package io.jointly.stats;

import io.jointly.channel.ChannelStats;
import io.jointly.psi.PsiResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The bank's result of federated statistics: for each of its segments, the number of shared
 * customers and aggregates of the partner's columns over them. A cell that describes fewer than
 * {@code minCellSize} customers is suppressed: a segment below it has no figures at all, a numeric
 * column with fewer non-missing values has no sum or mean, a histogram level with fewer customers
 * has no count.
 *
 * @param groupBy the bank's segment columns
 * @param layout the partner's columns
 * @param segments one row per distinct segment of the bank's rows (shared or not), sorted by key
 * @param minCellSize the suppression threshold
 * @param noise the noise on released figures
 * @param totalEpsilon ε of the whole table under basic composition (0 without noise)
 * @param psi the PSI run that aligned the parties
 * @param traffic bytes and messages of the statistics rounds (the PSI run's are in {@code psi})
 * @param elapsed wall-clock time of the whole run, PSI included
 */
public record SegmentTable(
    List<String> groupBy,
    ColumnLayout layout,
    List<Segment> segments,
    int minCellSize,
    Noise noise,
    double totalEpsilon,
    PsiResult psi,
    ChannelStats traffic,
    Duration elapsed) {

  public SegmentTable {
    groupBy = List.copyOf(groupBy);
    segments = List.copyOf(segments);
    Objects.requireNonNull(layout);
    Objects.requireNonNull(noise);
    Objects.requireNonNull(psi);
    Objects.requireNonNull(traffic);
    Objects.requireNonNull(elapsed);
  }

  /**
   * One segment.
   *
   * @param key the segment's values of the group-by columns
   * @param count shared customers in it (with noise if configured); empty if suppressed
   * @param numeric per numeric column of the partner, in layout order
   * @param categorical per categorical column of the partner, in layout order
   */
  public record Segment(
      List<String> key, OptionalLong count, List<NumericCell> numeric, List<Histogram> categorical) {
    public Segment {
      key = List.copyOf(key);
      Objects.requireNonNull(count);
      numeric = List.copyOf(numeric);
      categorical = List.copyOf(categorical);
    }

    public boolean suppressed() {
      return count.isEmpty();
    }
  }

  /**
   * Aggregates of one numeric column over a segment's shared customers.
   *
   * @param column the column
   * @param present customers with a value (empty if suppressed)
   * @param sum sum of the clipped values (empty if suppressed)
   * @param mean {@code sum / present} (empty if suppressed)
   */
  public record NumericCell(String column, OptionalLong present, OptionalDouble sum, OptionalDouble mean) {}

  /**
   * Histogram of one categorical column over a segment's shared customers: level → count, in layout
   * order with {@link PartnerColumns#OTHER} last; a suppressed level maps to an empty value.
   */
  public record Histogram(String column, Map<String, OptionalLong> counts) {
    public Histogram {
      counts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
    }
  }
}
