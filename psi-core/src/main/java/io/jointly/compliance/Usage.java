package io.jointly.compliance;

/**
 * How much a party has used its data with one peer since a point in time: the runs (completed or
 * failed after the agreement: a failed run may already have revealed something) and the records
 * (this party's input rows over those runs). Refused runs moved no data and do not count.
 *
 * @param runs the runs
 * @param records this party's input rows over those runs
 */
public record Usage(long runs, long records) {
  /** No use. */
  public static final Usage NONE = new Usage(0, 0);

  public Usage {
    if (runs < 0 || records < 0) {
      throw new IllegalArgumentException("usage counts are >= 0");
    }
  }

  /** This usage and one more run over {@code records} records. */
  public Usage plus(long records) {
    return new Usage(runs + 1, Math.addExact(this.records, records));
  }

  /**
   * The usage that {@code receipts} record for {@code self} with {@code peer} since {@code since}
   * (by {@code self}'s start time): what an audit trail's meter computes.
   */
  public static Usage of(Iterable<Receipt> receipts, String self, String peer, java.time.Instant since) {
    Usage u = NONE;
    for (Receipt r : receipts) {
      ReceiptBody b = r.body();
      if (b.status() == ReceiptBody.Status.REFUSED
          || b.parties().stream().noneMatch(p -> p.name().equals(self))
          || !b.other(self).name().equals(peer)) {
        continue;
      }
      PartyStatement mine = b.party(self).statement();
      if (!mine.start().isBefore(since)) {
        u = u.plus(mine.terms().inputRows());
      }
    }
    return u;
  }
}
