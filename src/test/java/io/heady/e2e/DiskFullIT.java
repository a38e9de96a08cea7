package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An agent refuses new work before its disk is full (issue 16), with real processes. The disk is made "full"
 * by a threshold above the real free space ({@code --min-free-mb} of a petabyte): the node says
 * {@code disk_full} in its record, a task waits naming it (not failed, no attempt), and once the agent runs
 * again with the default threshold the task runs there.
 */
class DiskFullIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @Test
  void aNodeWithAFullDiskTakesNoTaskWhichWaitsNamingItAndRunsOnceTheNodeHasRoom() throws Exception {
    try (Cluster c = new Cluster().startManager("--local-executor=false", "--heartbeat-sec=1")) {
      HeadyProcess agent = c.startAgent("tight", "--min-free-mb=1000000000");
      c.awaitNode("tight", "active", LIMIT);
      JsonObject node = Poll.until("the node to say disk_full", LIMIT, () -> {
        JsonObject n = c.node("tight");
        return n != null && n.getJsonObject("refusing") != null ? n : null;
      });
      JsonObject refusing = node.getJsonObject("refusing");
      assertEquals("disk_full", refusing.getString("reason"));
      assertTrue(refusing.getString("message").contains("--min-free-mb"), refusing.encode());
      assertEquals("active", node.getString("status"), "alive and not at fault");
      assertTrue(Files.readString(c.agentDir("tight").resolve("agent-status.json")).contains("disk_full"),
          "the node's own status file says so too");

      Api.Res submitted = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("command", "echo room"));
      assertEquals(201, submitted.status(), submitted.raw());
      String id = submitted.json().getString("task_id");
      assertTrue(submitted.json().getString("waiting_reason").contains("disk_full"), submitted.raw());
      Poll.during("the task waits (queued, no attempt)", Duration.ofSeconds(3), () -> {
        JsonObject t = c.admin.get("/api/cluster/tasks/" + id).json();
        return "queued".equals(t.getString("status")) && t.getJsonArray("attempts").isEmpty();
      });
      JsonObject waiting = c.admin.get("/api/cluster/tasks/" + id).json();
      assertTrue(waiting.getString("waiting_reason").contains("node takes no new tasks: disk_full"),
          waiting.encodePrettily());

      Out table = cli(c, "nodes");
      assertTrue(table.out().contains("active (disk_full)"), table.out());
      Out one = cli(c, "nodes", "tight");
      assertTrue(one.out().contains("refusing") && one.out().contains("--min-free-mb"), one.out());

      agent.close();
      c.startAgent("tight");
      JsonObject done = c.awaitFinished(id, LIMIT);
      assertEquals("succeeded", done.getString("status"), done.encodePrettily());
      assertEquals("tight", done.getString("node_id"));
      assertEquals(1, done.getJsonArray("attempts").size(), "it ran once, on its first attempt");
      assertNull(Poll.until("the node to take work again", LIMIT, () -> {
        JsonObject n = c.node("tight");
        return n != null && n.getValue("refusing") == null ? n : null;
      }).getValue("refusing"));
    }
  }

  private record Out(int exit, String out, String err) {}

  /** {@code java -jar heady.jar ARGS --url --token}, as a person runs the CLI. */
  private static Out cli(Cluster c, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", HeadyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--url", c.url(), "--token", c.adminToken));
    Path dir = HeadyProcess.tempDir("disk-full-cli-");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_"));
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("heady " + String.join(" ", args) + " did not finish in 90 s");
    }
    Out o = new Out(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    assertEquals(0, o.exit(), o.err());
    return o;
  }
}
