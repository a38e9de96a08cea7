package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmProfileTest {
  @Test
  void readsOptionsAsTheLauncherDoes() {
    assertEquals(List.of("-Xmx96m", "-XX:+UseSerialGC", "-Xss256k"),
        JvmProfile.parse("# a comment\n-Xmx96m   # why: small\n\n  -XX:+UseSerialGC -Xss256k\n"));
  }

  @Test
  void theLaunchersFilesParse() throws IOException {
    // the jar ships launcher/*.options; the source folder is the same text
    for (String role : List.of("manager", "agent", "agent-small")) {
      List<String> opts = JvmProfile.parse(Files.readString(Path.of("launcher", role + ".options")));
      assertTrue(opts.stream().anyMatch(o -> o.startsWith("-Xmx")), role + ": " + opts);
      assertTrue(opts.stream().allMatch(o -> o.startsWith("-")), role + ": " + opts);
    }
  }

  @Test
  void unknownProfileIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JvmProfile.options("nope"));
    assertTrue(e.getMessage().contains("nope"));
  }
}
