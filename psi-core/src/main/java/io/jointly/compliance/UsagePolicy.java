package io.jointly.compliance;

import io.jointly.compliance.internal.Codec;
import io.jointly.compliance.internal.Encoding;
import io.jointly.core.Bytes;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A party's usage policy: which peers may run which commands for which purposes, with which
 * protocols and reveal modes, under which guardrails and limits, until when. A run is allowed by
 * the first grant that names the peer, the command and the purpose and whose every rule the run
 * meets; otherwise it is refused with the rule it broke ({@link PolicyDecision.Refused#rule()}).
 *
 * <h2>Rules, in the order they are checked</h2>
 *
 * <ol>
 *   <li>{@code expires}: the policy (then the grant) is in force up to and including its expiry
 *       date, in the policy's time zone.
 *   <li>{@code peers}: a grant names the peer (its certificate name).
 *   <li>{@code commands}: such a grant lists the command.
 *   <li>{@code purposes}: such a grant lists the run's campaign, and the run's purpose text and
 *       legal basis are those the policy defines for it.
 *   <li>{@code protocols}, {@code reveal}: the grant lists the run's protocol and reveal mode (an
 *       empty list allows any).
 *   <li>{@code min_peer_set_size}: the peer's input has at least this many rows, and this party's
 *       own protocol guardrail (where the command has one) is at least as strict.
 *   <li>{@code min_cell_size}: where the run releases figures per group, its smallest group is at
 *       least this.
 *   <li>{@code max_runs}, {@code max_records}: with this run, the runs with the peer and this
 *       party's records used in them within the current period (day, ISO week, month or year in
 *       the policy's time zone) stay within the limits. Past use comes from the {@link
 *       UsageMeter}.
 * </ol>
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the policy's id (1–64 of {@code [A-Za-z0-9._-]})
 * @param expires the last day the policy is in force, if it expires
 * @param zone the time zone of dates and periods
 * @param purposes the purposes the policy knows, by campaign identifier
 * @param grants the grants, in the order they are tried (at least one, distinct ids)
 */
public record UsagePolicy(
    String id,
    Optional<LocalDate> expires,
    ZoneId zone,
    SortedMap<String, Purpose> purposes,
    List<UsagePolicy.Grant> grants)
    implements Authorizer {

  /** The form of policy and grant ids. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final String DIGEST_LABEL = "jointly usage policy v1";

  public UsagePolicy {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a policy id is 1-64 of [A-Za-z0-9._-]");
    }
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(zone, "zone");
    purposes = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(purposes, "purposes")));
    purposes.forEach(
        (k, p) -> {
          if (!k.equals(p.campaign())) {
            throw new IllegalArgumentException("purpose '" + k + "' is filed under another campaign");
          }
        });
    grants = List.copyOf(Objects.requireNonNull(grants, "grants"));
    if (grants.isEmpty()) {
      throw new IllegalArgumentException("a policy has at least one grant");
    }
    Set<String> ids = new HashSet<>();
    for (Grant g : grants) {
      if (!ids.add(g.id())) {
        throw new IllegalArgumentException("grant id '" + g.id() + "' is used twice");
      }
      for (String c : g.purposes()) {
        if (!purposes.containsKey(c)) {
          throw new IllegalArgumentException("grant '" + g.id() + "' names purpose '" + c + "', which the policy does not define");
        }
      }
    }
  }

  /** A period of the limits, aligned to the calendar in the policy's time zone. */
  public enum Period {
    DAY,
    WEEK,
    MONTH,
    YEAR;

    /** The start of the period that contains {@code now}. */
    public Instant start(Instant now, ZoneId zone) {
      ZonedDateTime day = now.atZone(zone).toLocalDate().atStartOfDay(zone);
      ZonedDateTime start =
          switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toLocalDate().atStartOfDay(zone);
            case MONTH -> day.withDayOfMonth(1).toLocalDate().atStartOfDay(zone);
            case YEAR -> day.withDayOfYear(1).toLocalDate().atStartOfDay(zone);
          };
      return start.toInstant();
    }

    /** The name in policy files: {@code day}, {@code week}, {@code month}, {@code year}. */
    public String token() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The period with this token. */
    public static Period fromToken(String token) {
      for (Period p : values()) {
        if (p.token().equals(token)) {
          return p;
        }
      }
      throw new IllegalArgumentException("a period is day, week, month or year");
    }
  }

  /**
   * How much use of its data a party allows per peer and period.
   *
   * @param period the period the counts restart at
   * @param maxRuns the most runs per peer in a period, if limited (≥ 1)
   * @param maxRecords the most of this party's records used with a peer in a period, if limited
   *     (≥ 1)
   */
  public record Limits(Period period, OptionalLong maxRuns, OptionalLong maxRecords) {
    public Limits {
      Objects.requireNonNull(period, "period");
      Objects.requireNonNull(maxRuns, "maxRuns");
      Objects.requireNonNull(maxRecords, "maxRecords");
      if (maxRuns.orElse(1) < 1 || maxRecords.orElse(1) < 1) {
        throw new IllegalArgumentException("limits are >= 1");
      }
      if (maxRuns.isEmpty() && maxRecords.isEmpty()) {
        throw new IllegalArgumentException("limits name max_runs, max_records or both");
      }
    }
  }

  /**
   * One grant of a policy.
   *
   * @param id the grant's id
   * @param peers the peers it applies to, by certificate name (at least one)
   * @param commands the commands it allows (at least one)
   * @param purposes the campaigns it allows (at least one; defined in the policy)
   * @param protocols the protocols it allows; empty allows any
   * @param reveals the reveal modes it allows; empty allows any
   * @param minPeerSetSize the smallest peer input it accepts (0: no minimum)
   * @param minCellSize the smallest group a released figure may describe (0: no minimum)
   * @param limits its limits per peer and period, if any
   * @param expires the last day it is in force, if it expires before the policy
   */
  public record Grant(
      String id,
      SortedSet<String> peers,
      SortedSet<String> commands,
      SortedSet<String> purposes,
      SortedSet<String> protocols,
      SortedSet<String> reveals,
      long minPeerSetSize,
      long minCellSize,
      Optional<Limits> limits,
      Optional<LocalDate> expires) {
    public Grant {
      Objects.requireNonNull(id, "id");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException("a grant id is 1-64 of [A-Za-z0-9._-]");
      }
      peers = names(peers, PartyStatement.PARTY, "peers", true);
      commands = names(commands, RunTerms.NAME, "commands", true);
      purposes = names(purposes, Purpose.CAMPAIGN, "purposes", true);
      protocols = names(protocols, RunTerms.NAME, "protocols", false);
      reveals = names(reveals, RunTerms.NAME, "reveal", false);
      if (minPeerSetSize < 0 || minCellSize < 0) {
        throw new IllegalArgumentException("minimum sizes are >= 0");
      }
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(expires, "expires");
    }

    private static SortedSet<String> names(Set<String> values, Pattern form, String what, boolean required) {
      Objects.requireNonNull(values, what);
      if (required && values.isEmpty()) {
        throw new IllegalArgumentException(what + " lists at least one name");
      }
      for (String v : values) {
        if (!form.matcher(v).matches()) {
          throw new IllegalArgumentException(what + ": '" + v + "' is not a valid name");
        }
      }
      return Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }
  }

  /** The SHA-256 of the policy's canonical encoding: which version of the policy was in force. */
  public Bytes digest() {
    Codec.Writer w = new Codec.Writer().string(DIGEST_LABEL).string(id);
    w.optionalString(expires.map(LocalDate::toString)).string(zone.getId()).u32(purposes.size());
    purposes.values().forEach(p -> w.string(p.campaign()).string(p.text()).u8(p.legalBasis().wireCode()));
    w.u32(grants.size());
    for (Grant g : grants) {
      w.string(g.id())
          .strings(List.copyOf(g.peers()))
          .strings(List.copyOf(g.commands()))
          .strings(List.copyOf(g.purposes()))
          .strings(List.copyOf(g.protocols()))
          .strings(List.copyOf(g.reveals()))
          .i64(g.minPeerSetSize())
          .i64(g.minCellSize())
          .bool(g.limits().isPresent());
      g.limits()
          .ifPresent(l -> w.string(l.period().token()).optionalLong(l.maxRuns()).optionalLong(l.maxRecords()));
      w.optionalString(g.expires().map(LocalDate::toString));
    }
    return Encoding.sha256(w.toBytes());
  }

  @Override
  public PolicyDecision decide(RunRequest request, UsageMeter meter) {
    RunTerms own = request.own().terms();
    String peer = request.peer().party();
    LocalDate today = request.now().atZone(zone).toLocalDate();
    if (expires.isPresent() && today.isAfter(expires.get())) {
      return refuse("expires", "policy " + id + " expired on " + expires.get());
    }
    List<Grant> candidates = grants.stream().filter(g -> g.peers().contains(peer)).toList();
    if (candidates.isEmpty()) {
      return refuse("peers", "no grant of policy " + id + " names the peer '" + peer + "'");
    }
    candidates = candidates.stream().filter(g -> g.commands().contains(own.command())).toList();
    if (candidates.isEmpty()) {
      return refuse(
          "commands", "no grant of policy " + id + " for '" + peer + "' allows the command " + own.command());
    }
    if (own.purpose().isEmpty()) {
      return refuse("purposes", "the run states no purpose, and policy " + id + " allows named purposes only");
    }
    Purpose purpose = own.purpose().get();
    String campaign = purpose.campaign();
    candidates = candidates.stream().filter(g -> g.purposes().contains(campaign)).toList();
    if (candidates.isEmpty()) {
      return refuse(
          "purposes",
          "no grant of policy " + id + " for '" + peer + "' and " + own.command() + " allows the purpose " + campaign);
    }
    Optional<String> differs = purposes.get(campaign).firstDifference(purpose);
    if (differs.isPresent()) {
      return refuse(
          "purposes",
          "the run's purpose " + campaign + " differs from policy " + id + "'s in its " + differs.get());
    }
    PolicyDecision.Refused first = null;
    for (Grant g : candidates) {
      Optional<PolicyDecision.Refused> broken = check(g, request, meter, today);
      if (broken.isEmpty()) {
        return new PolicyDecision.Allowed(Optional.of(new PolicyReference(id, g.id(), digest())));
      }
      if (first == null) {
        first = broken.get();
      }
    }
    return first;
  }

  private Optional<PolicyDecision.Refused> check(Grant g, RunRequest request, UsageMeter meter, LocalDate today) {
    RunTerms own = request.own().terms();
    RunTerms theirs = request.peer().terms();
    String peer = request.peer().party();
    String where = "policy " + id + ", grant " + g.id() + ": ";
    if (g.expires().isPresent() && today.isAfter(g.expires().get())) {
      return Optional.of(refuse("expires", where + "expired on " + g.expires().get()));
    }
    if (!g.protocols().isEmpty() && !g.protocols().contains(own.protocol())) {
      return Optional.of(
          refuse("protocols", where + "the protocol " + own.protocol() + " is not among " + g.protocols()));
    }
    if (!g.reveals().isEmpty() && !g.reveals().contains(own.reveal())) {
      return Optional.of(refuse("reveal", where + "the reveal mode " + own.reveal() + " is not among " + g.reveals()));
    }
    if (request.peerStated() && theirs.inputRows() < g.minPeerSetSize()) {
      return Optional.of(
          refuse(
              "min_peer_set_size",
              where + "the peer's input has " + theirs.inputRows() + " rows, fewer than " + g.minPeerSetSize()));
    }
    if (own.minPeerSetSize().isPresent() && own.minPeerSetSize().getAsLong() < g.minPeerSetSize()) {
      return Optional.of(
          refuse(
              "min_peer_set_size",
              where + "this run's peer-set guardrail is " + own.minPeerSetSize().getAsLong()
                  + ", below the policy's " + g.minPeerSetSize()));
    }
    if (own.minCellSize().isPresent() && own.minCellSize().getAsLong() < g.minCellSize()) {
      return Optional.of(
          refuse(
              "min_cell_size",
              where + "this run releases groups of " + own.minCellSize().getAsLong()
                  + " customers, below the policy's " + g.minCellSize()));
    }
    if (g.limits().isPresent()) {
      Limits l = g.limits().get();
      Instant since = l.period().start(request.now(), zone);
      Usage used = meter.usage(peer, since);
      String period = "this " + l.period().token() + " (since " + since.atZone(zone).toLocalDate() + ")";
      if (l.maxRuns().isPresent() && used.runs() + 1 > l.maxRuns().getAsLong()) {
        return Optional.of(
            refuse(
                "max_runs",
                where + used.runs() + " runs with '" + peer + "' " + period + " reach the limit of "
                    + l.maxRuns().getAsLong()));
      }
      if (l.maxRecords().isPresent() && used.records() + own.inputRows() > l.maxRecords().getAsLong()) {
        return Optional.of(
            refuse(
                "max_records",
                where + used.records() + " records used with '" + peer + "' " + period + " and "
                    + own.inputRows() + " in this run exceed the limit of " + l.maxRecords().getAsLong()));
      }
    }
    return Optional.empty();
  }

  private static PolicyDecision.Refused refuse(String rule, String reason) {
    return new PolicyDecision.Refused(rule, reason);
  }

  /** The ids of the grants, in order. */
  public List<String> grantIds() {
    List<String> out = new ArrayList<>();
    grants.forEach(g -> out.add(g.id()));
    return out;
  }
}
