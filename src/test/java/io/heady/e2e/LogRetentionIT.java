package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Task logs on the nodes are kept within the retention (issue 16), with real processes: an agent and the
 * manager's local executor sweep their log folders at start and every second here ({@code --log-sweep-sec=1}).
 * Files are backdated with {@code setLastModifiedTime} rather than waiting days. Logs older than
 * {@code --log-retention-days} go, the oldest go while the folder is over {@code --log-max-mb}; a running task's
 * log stays whatever its age, and a link in the folder is never followed to what it points at.
 */
class LogRetentionIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /** Puts a file of {@code bytes} with the given age into {@code dir}, whole: made beside it, then moved in. */
  private static Path place(Path staging, Path dir, String name, int bytes, Duration age) throws IOException {
    Path made = Files.write(staging.resolve(name), new byte[bytes]);
    Files.setLastModifiedTime(made, FileTime.from(Instant.now().minus(age)));
    return Files.move(made, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void backdate(Path file, Duration age) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
  }

  @Test
  void oldAndOverflowingLogsGoButARunningTasksLogAndWhatALinkPointsAtStay() throws Exception {
    try (Cluster c = new Cluster().startManager("--heartbeat-sec=1", "--log-sweep-sec=1", "--log-retention-days=7")) {
      c.startAgent("keeper", "--log-sweep-sec=1", "--log-retention-days=7", "--log-max-mb=1");
      c.awaitNode("keeper", "active", LIMIT);
      Path logs = c.agentDir("keeper").resolve("logs");
      Path staging = HeadyProcess.tempDir("retention-staging-");

      String running = c.submit(new JsonObject().put("command", "sleep 120").put("node", "keeper"));
      Path runningLog = logs.resolve(running + ".log");
      Poll.until("the running task's log", LIMIT, () -> "running".equals(c.admin.get("/api/cluster/tasks/"
          + running).json().getString("status")) && Files.exists(runningLog));
      backdate(runningLog, Duration.ofDays(30));

      Path old = place(staging, logs, "old-task.log", 100, Duration.ofDays(8));
      Path oldProgress = place(staging, logs, "old-task.progress", 10, Duration.ofDays(8));
      Path fresh = place(staging, logs, "fresh-task.log", 100, Duration.ofHours(1));
      Path precious = place(staging, staging, "precious.log", 100, Duration.ofDays(30));
      Path link = Files.createSymbolicLink(logs.resolve("link-task.log"), precious);
      Path a = place(staging, logs, "size-a.log", 400 * 1024, Duration.ofHours(3));
      Path b = place(staging, logs, "size-b.log", 400 * 1024, Duration.ofHours(2));
      Path d = place(staging, logs, "size-c.log", 400 * 1024, Duration.ofHours(1));

      Poll.until("the logs older than 7 days to go", LIMIT, () -> !Files.exists(old) && !Files.exists(oldProgress));
      Poll.until("the oldest log to go while the folder is over 1 MB", LIMIT, () -> !Files.exists(a));
      assertTrue(Files.exists(runningLog), "a running task's log is never removed, however old");
      assertTrue(Files.exists(fresh) && Files.exists(b) && Files.exists(d), "newer logs under the cap stay");
      assertTrue(Files.isSymbolicLink(link), "a link is not a task's log: left alone");
      assertTrue(Files.exists(precious), "what a link points at outside the folder is never touched");

      // Once the task has ended, its log is an old file like any other.
      assertEquals(200, c.admin.post("/api/cluster/tasks/" + running + "/cancel", new JsonObject()).status());
      c.awaitFinished(running, LIMIT);
      // why: backdated again on each look, as the agent may still be stopping the task (and writing its log)
      Poll.until("the ended task's old log to go", LIMIT, () -> {
        try {
          backdate(runningLog, Duration.ofDays(30));
          return false;
        } catch (java.nio.file.NoSuchFileException gone) {
          return true;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });

      // The manager's local executor keeps its own log folder the same way.
      Path localOld = place(staging, Files.createDirectories(c.dataDir.resolve("logs")), "local-old.log", 100,
          Duration.ofDays(9));
      Path localFresh = place(staging, c.dataDir.resolve("logs"), "local-fresh.log", 100, Duration.ofDays(1));
      Poll.until("the local executor's old log to go", LIMIT, () -> !Files.exists(localOld));
      assertTrue(Files.exists(localFresh));
      assertTrue(c.logs().contains("log retention: removed"), "each sweep that removes something says so");
    }
  }
}
