package io.jointly.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Loads the known-answer vector files kept under {@code src/test/resources/vectors/} (copied from
 * {@code shared/specs/vectors/}; each file names its RFC or standard in its {@code source} field).
 */
public final class Vectors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Vectors() {}

  /** The whole JSON file {@code vectors/NAME}. */
  public static JsonNode file(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource vectors/" + name);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code vectors} array of the file, optionally only those whose {@code type} matches. */
  public static List<JsonNode> vectors(String name, String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode v : file(name).get("vectors")) {
      if (type == null || type.equals(v.path("type").asText())) {
        out.add(v);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no vectors of type " + type + " in " + name);
    }
    return out;
  }

  public static byte[] hex(JsonNode node, String field) {
    JsonNode f = node.get(field);
    if (f == null) {
      throw new IllegalStateException("vector has no field " + field);
    }
    return HexFormat.of().parseHex(f.asText());
  }
}
