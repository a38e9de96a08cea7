package io.heady.client.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The results of past runs, one JSON object a line (what {@code --json} prints; the Celery peer's and the
 * spawn baseline's lines may be mixed in), which {@code --plot} draws.
 */
public final class History {
  private History() {}

  /** Appends one result line, creating the file and its folder. */
  public static void append(Path file, JsonObject result) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, result.encode() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The last {@code max} results of a file (lines that are not JSON objects with a throughput are skipped). */
  public static List<JsonObject> last(Path file, int max) throws IOException {
    List<JsonObject> all = new ArrayList<>();
    if (!Files.exists(file)) {
      return all;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String l = line.strip();
      if (!l.startsWith("{")) {
        continue;
      }
      try {
        JsonObject j = new JsonObject(l);
        if (j.getValue("throughput_per_s") instanceof Number) {
          all.add(j);
        }
      } catch (RuntimeException notJson) {
        // a log line that happens to start with a brace
      }
    }
    return new ArrayList<>(all.subList(Math.max(0, all.size() - max), all.size()));
  }
}
