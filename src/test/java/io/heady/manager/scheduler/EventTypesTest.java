package io.heady.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The list of known event types against the types the manager's code writes. */
class EventTypesTest {
  private static final Pattern LITERAL = Pattern.compile("\"((?:task|node|watchdog|manager)\\.[a-z_]+)\"");

  @Test
  void everyTypeWrittenInTheManagersCodeIsKnown() throws IOException {
    Set<String> written = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/heady/manager"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = LITERAL.matcher(Files.readString(f));
        while (m.find()) {
          written.add(m.group(1));
        }
      }
    }
    // file names, not events
    written.removeIf(t -> t.endsWith(".options") || t.endsWith(".json"));
    assertTrue(written.size() > 20, "the scan found the types: " + written);
    written.removeAll(EventTypes.known());
    assertEquals(Set.of(), written, "event types missing from EventTypes");
  }

  @Test
  void theEndsOfATaskAndEveryNodeStatusAreKnown() {
    for (String t : new String[] {"task.succeeded", "task.failed", "task.timed_out", "task.cancelled",
        "task.skipped", "node.active", "node.stale", "node.offline", "node.draining"}) {
      assertTrue(EventTypes.known().contains(t), t);
    }
  }
}
