package io.jointly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jointly.lr.features.ColumnTransform;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.training.PartyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A party's model file, {@code DIR/model.json}: format version, role, training mode, this party's
 * feature transform and weights, and — for the bank only — the intercept. A partner's file mentions
 * nothing about labels. The transform's means and scales are this party's own statistics; the file
 * stays with its owner.
 */
final class ModelFiles {
  static final String FILE = "model.json";

  private ModelFiles() {}

  static void write(PartyModel model, String mode, Path dir) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("format_version", model.formatVersion());
    root.put("role", model.role().name().toLowerCase(Locale.ROOT));
    root.put("mode", mode);
    ArrayNode features = root.putArray("features");
    for (ColumnTransform c : model.transform().columns()) {
      ObjectNode f = features.addObject();
      if (c instanceof ColumnTransform.Numeric n) {
        f.put("type", "numeric").put("name", n.name()).put("mean", n.mean()).put("scale", n.scale());
        f.put("missing_indicator", n.missingIndicator());
      } else if (c instanceof ColumnTransform.Categorical k) {
        f.put("type", "categorical").put("name", k.name());
        ArrayNode levels = f.putArray("levels");
        k.levels().forEach(levels::add);
        f.put("other_level", k.otherLevel()).put("missing_level", k.missingLevel());
      }
    }
    ArrayNode names = root.putArray("weight_names");
    model.transform().outputColumns().forEach(names::add);
    ArrayNode weights = root.putArray("weights");
    for (double w : model.weights()) {
      weights.add(w);
    }
    model.intercept().ifPresent(b -> root.put("intercept", b));
    Files.createDirectories(dir);
    String json = mapper.writeValueAsString(root);
    AtomicOutput.write(dir.resolve(FILE), w -> w.write(json + "\n"));
  }

  /** Reads and checks a model file; any problem is an input error naming the file. */
  static PartyModel read(Path dir, PartyModel.Role expected) throws CliException {
    Path file = dir.resolve(FILE);
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      int version = root.path("format_version").asInt(-1);
      PartyModel.Role role = PartyModel.Role.valueOf(root.path("role").asText("").toUpperCase(Locale.ROOT));
      if (role != expected) {
        throw CliException.input(file + ": a " + role.name().toLowerCase(Locale.ROOT) + " model, but this party is the "
            + expected.name().toLowerCase(Locale.ROOT));
      }
      List<ColumnTransform> columns = new ArrayList<>();
      for (JsonNode f : root.path("features")) {
        String type = f.path("type").asText();
        if (type.equals("numeric")) {
          columns.add(new ColumnTransform.Numeric(
              f.path("name").asText(), f.path("mean").asDouble(), f.path("scale").asDouble(), f.path("missing_indicator").asBoolean()));
        } else if (type.equals("categorical")) {
          List<String> levels = new ArrayList<>();
          f.path("levels").forEach(l -> levels.add(l.asText()));
          columns.add(new ColumnTransform.Categorical(
              f.path("name").asText(), levels, f.path("other_level").asBoolean(), f.path("missing_level").asBoolean()));
        } else {
          throw CliException.input(file + ": unknown feature type");
        }
      }
      JsonNode w = root.path("weights");
      double[] weights = new double[w.size()];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = w.get(i).asDouble();
      }
      OptionalDouble intercept = root.has("intercept") ? OptionalDouble.of(root.get("intercept").asDouble()) : OptionalDouble.empty();
      FeatureTransform transform = FeatureTransform.of(columns);
      if (transform.outputColumns().size() != weights.length) {
        throw CliException.input(file + ": " + weights.length + " weights for " + transform.outputColumns().size() + " encoded features");
      }
      return PartyModel.restore(version, role, transform, weights, intercept);
    } catch (IOException e) {
      throw CliException.input(file + ": cannot be read as a model (" + e.getClass().getSimpleName() + ")");
    } catch (IllegalArgumentException e) {
      throw CliException.input(file + ": " + e.getMessage());
    }
  }

  /** The training mode a model file records ({@code mode}); an input error if it has none. */
  static String mode(Path dir) throws CliException {
    Path file = dir.resolve(FILE);
    try {
      JsonNode node = new ObjectMapper().readTree(file.toFile()).path("mode");
      if (!node.isTextual()) {
        throw CliException.input(file + ": no training mode recorded; pass --mode");
      }
      return node.asText();
    } catch (IOException e) {
      throw CliException.input(file + ": cannot be read as a model (" + e.getClass().getSimpleName() + ")");
    }
  }
}
