package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The client (SDK and CLI) imports nothing of the manager or the agent, not even by a qualified name. */
class ClientImportsTest {
  private static final Pattern FORBIDDEN = Pattern.compile("\\bio\\.heady\\.(manager|agent)\\b");

  @Test
  void clientSourcesNameNoManagerOrAgentClass() throws IOException {
    Path root = Path.of("src/main/java/io/heady/client");
    assertTrue(Files.isDirectory(root), "run from the project root: " + root.toAbsolutePath());
    List<String> offenders = new ArrayList<>();
    int files = 0;
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(f -> f.toString().endsWith(".java")).toList()) {
        files++;
        List<String> lines = Files.readAllLines(p);
        for (int i = 0; i < lines.size(); i++) {
          if (FORBIDDEN.matcher(lines.get(i)).find()) {
            offenders.add(p + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertTrue(files > 10, "expected the client's sources, found " + files + " files");
    assertTrue(offenders.isEmpty(), "the client must not use manager or agent code:\n" + String.join("\n", offenders));
  }

  @Test
  void theScanCatchesAnImport() {
    assertTrue(FORBIDDEN.matcher("import io.heady.manager.task.TaskRecord;").find());
    assertTrue(FORBIDDEN.matcher("var x = new io.heady.agent.AgentState();").find());
    assertTrue(!FORBIDDEN.matcher("import io.heady.common.protocol.Priority;").find());
  }
}
