package io.jointly.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The JSON mappers of the CLI's typed documents (reports, receipts, audit lines): record
 * components in {@code snake_case}, map entries in key order, unknown or duplicate fields refused
 * when reading. {@link #REPORT} indents (reports are read by people), {@link #LINE} writes one
 * line (audit logs).
 */
final class Json {
  private Json() {}

  /** Reports: indented. */
  static final ObjectMapper REPORT = base().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** Audit-log lines: compact, one line each. */
  static final ObjectMapper LINE = base().build();

  private static JsonMapper.Builder base() {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /** Writes {@code document} as an indented report to {@code target}, atomically. */
  static void writeReport(Object document, Path target) throws IOException {
    String json = REPORT.writeValueAsString(document);
    AtomicOutput.write(target, w -> w.write(json + "\n"));
  }

  /** Reads a report written by {@link #writeReport}, ignoring fields {@code type} does not know. */
  static <T> T readReport(Path source, Class<T> type) throws IOException {
    return REPORT.readerFor(type)
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue(source.toFile());
  }
}
