package io.jointly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.compliance.LegalBasis;
import io.jointly.compliance.Purpose;
import io.jointly.compliance.UsagePolicy;
import io.jointly.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a usage-policy file ({@code --policy FILE}): a JSON document as described by {@code
 * docs/compliance/usage-policy.schema.json}, with an example beside it. Every problem is an {@link
 * InputException} naming the file and the field ({@code grants[1].limits.max_runs: ...}); unknown
 * fields are refused, so a misspelt rule never silently allows more.
 */
final class PolicyFile {
  /** The fields of the document, as the schema lists them. */
  static final Set<String> TOP = Set.of("$schema", "policy", "expires", "time_zone", "purposes", "grants");

  static final Set<String> PURPOSE = Set.of("text", "legal_basis");

  static final Set<String> GRANT =
      Set.of(
          "id", "peers", "commands", "purposes", "protocols", "reveal", "min_peer_set_size", "min_cell_size", "limits",
          "expires");

  static final Set<String> LIMITS = Set.of("period", "max_runs", "max_records");

  private final Path file;

  private PolicyFile(Path file) {
    this.file = file;
  }

  /**
   * The policy in {@code file}.
   *
   * @throws InputException naming the field, if the file is not a valid policy
   * @throws IOException if it cannot be read
   */
  static UsagePolicy read(Path file) throws IOException, InputException {
    String text = Files.readString(file);
    JsonNode root;
    try {
      root = Json.LINE.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, file + ": not JSON (line " + e.getLocation().getLineNr() + ")");
    }
    return new PolicyFile(file).policy(root);
  }

  private UsagePolicy policy(JsonNode root) throws InputException {
    object(root, "the document", TOP);
    String id = string(root, "policy", "policy");
    Optional<LocalDate> expires = optionalDate(root, "expires", "expires");
    ZoneId zone = ZoneOffset.UTC;
    if (root.has("time_zone")) {
      try {
        zone = ZoneId.of(string(root, "time_zone", "time_zone"));
      } catch (DateTimeException e) {
        throw bad("time_zone", "not a time zone such as Asia/Shanghai or UTC");
      }
    }
    TreeMap<String, Purpose> purposes = new TreeMap<>();
    JsonNode ps = required(root, "purposes", "purposes");
    object(ps, "purposes", null);
    Iterator<Map.Entry<String, JsonNode>> it = ps.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = "purposes." + e.getKey();
      object(e.getValue(), at, PURPOSE);
      String purposeText = string(e.getValue(), "text", at + ".text");
      LegalBasis basis;
      try {
        basis = LegalBasis.fromToken(string(e.getValue(), "legal_basis", at + ".legal_basis"));
      } catch (IllegalArgumentException x) {
        throw bad(at + ".legal_basis", "must be one of " + LegalBasis.tokens());
      }
      try {
        purposes.put(e.getKey(), new Purpose(e.getKey(), purposeText, basis));
      } catch (IllegalArgumentException x) {
        throw bad(at, x.getMessage());
      }
    }
    JsonNode gs = required(root, "grants", "grants");
    if (!gs.isArray() || gs.isEmpty()) {
      throw bad("grants", "must be a list of at least one grant");
    }
    List<UsagePolicy.Grant> grants = new ArrayList<>();
    for (int i = 0; i < gs.size(); i++) {
      grants.add(grant(gs.get(i), "grants[" + i + "]"));
    }
    try {
      return new UsagePolicy(id, expires, zone, purposes, grants);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage().startsWith("grant") ? "grants" : "policy", e.getMessage());
    }
  }

  private UsagePolicy.Grant grant(JsonNode g, String at) throws InputException {
    object(g, at, GRANT);
    String id = string(g, "id", at + ".id");
    SortedSet<String> peers = names(g, "peers", at, true);
    SortedSet<String> commands = names(g, "commands", at, true);
    SortedSet<String> grantPurposes = names(g, "purposes", at, true);
    SortedSet<String> protocols = names(g, "protocols", at, false);
    SortedSet<String> reveals = names(g, "reveal", at, false);
    long minPeer = count(g, "min_peer_set_size", at, 0);
    long minCell = count(g, "min_cell_size", at, 0);
    Optional<UsagePolicy.Limits> limits = Optional.empty();
    if (g.has("limits")) {
      JsonNode l = g.get("limits");
      String la = at + ".limits";
      object(l, la, LIMITS);
      UsagePolicy.Period period;
      try {
        period = UsagePolicy.Period.fromToken(string(l, "period", la + ".period"));
      } catch (IllegalArgumentException e) {
        throw bad(la + ".period", "must be day, week, month or year");
      }
      OptionalLong maxRuns = l.has("max_runs") ? OptionalLong.of(positive(l, "max_runs", la)) : OptionalLong.empty();
      OptionalLong maxRecords = l.has("max_records") ? OptionalLong.of(positive(l, "max_records", la)) : OptionalLong.empty();
      if (maxRuns.isEmpty() && maxRecords.isEmpty()) {
        throw bad(la, "name max_runs, max_records or both");
      }
      limits = Optional.of(new UsagePolicy.Limits(period, maxRuns, maxRecords));
    }
    Optional<LocalDate> expires = optionalDate(g, "expires", at + ".expires");
    try {
      return new UsagePolicy.Grant(id, peers, commands, grantPurposes, protocols, reveals, minPeer, minCell, limits, expires);
    } catch (IllegalArgumentException e) {
      throw bad(at, e.getMessage());
    }
  }

  private void object(JsonNode node, String at, Set<String> allowed) throws InputException {
    if (!node.isObject()) {
      throw bad(at, "must be an object");
    }
    if (allowed != null) {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (!allowed.contains(n)) {
          throw bad(at.equals("the document") ? n : at + "." + n, "is not a field of a usage policy (see docs/compliance/usage-policy.schema.json)");
        }
      }
    }
  }

  private JsonNode required(JsonNode node, String field, String at) throws InputException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw bad(at, "is missing");
    }
    return v;
  }

  private String string(JsonNode node, String field, String at) throws InputException {
    JsonNode v = required(node, field, at);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw bad(at, "must be a non-empty string");
    }
    return v.asText();
  }

  private Optional<LocalDate> optionalDate(JsonNode node, String field, String at) throws InputException {
    if (!node.has(field)) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(string(node, field, at)));
    } catch (DateTimeException e) {
      throw bad(at, "must be a date such as 2026-12-31");
    }
  }

  private SortedSet<String> names(JsonNode node, String field, String at, boolean required) throws InputException {
    String where = at + "." + field;
    if (!node.has(field)) {
      if (required) {
        throw bad(where, "is missing");
      }
      return new TreeSet<>();
    }
    JsonNode v = node.get(field);
    if (!v.isArray() || (required && v.isEmpty())) {
      throw bad(where, "must be a list of " + (required ? "at least one name" : "names"));
    }
    TreeSet<String> out = new TreeSet<>();
    for (JsonNode n : v) {
      if (!n.isTextual() || n.asText().isBlank()) {
        throw bad(where, "must hold names only");
      }
      out.add(n.asText());
    }
    return out;
  }

  private long count(JsonNode node, String field, String at, long absent) throws InputException {
    if (!node.has(field)) {
      return absent;
    }
    JsonNode v = node.get(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw bad(at + "." + field, "must be a whole number, 0 or more");
    }
    return v.asLong();
  }

  private long positive(JsonNode node, String field, String at) throws InputException {
    long v = count(node, field, at, 0);
    if (v < 1) {
      throw bad(at + "." + field, "must be a whole number, 1 or more");
    }
    return v;
  }

  private InputException bad(String field, String problem) {
    return new InputException(InputException.Kind.INVALID_INPUT, -1, file + ": " + field + ": " + problem);
  }
}
