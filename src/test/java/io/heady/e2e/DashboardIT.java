package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard in a real browser: headless Chromium (Debian's package) driven by Playwright's
 * {@code playwright-core} runs {@code src/test/browser/dashboard.mjs} against a real manager and agent. The
 * script signs in, sees the agent, drains and undrains it, opens a DAG, runs a command from the page and sees
 * it succeed, watches a running task's output appear line by line over its live tail (an event stream, no
 * polling) and cancels another, with no page reload, and saves {@code target/dashboard.png}.
 *
 * <p>Node, Chromium and {@code npm ci} in {@code src/test/browser} are test prerequisites ({@code .ci/run}
 * installs them); when one is missing this test fails and says which, it does not skip.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
  static final Path BROWSER = Path.of("src", "test", "browser");
  static final Path SCREENSHOT = Path.of("target", "dashboard.png");

  private Cluster cluster;
  private String nodeBin;

  @BeforeAll
  void start() throws Exception {
    nodeBin = requireTools();
    cluster = new Cluster().startManager("--offload-cpu-pct=101");
    cluster.startAgent("dash-agent", "--transport=eventbus", "--label", "site=lab");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Node, Chromium and playwright-core, or a failure that says how to get them. */
  static String requireTools() {
    String node = which("node");
    if (node == null) {
      fail("the dashboard test needs Node.js on PATH: apt-get install -y nodejs npm (.ci/run installs it)");
    }
    String chromium = System.getenv().getOrDefault("HEADY_CHROMIUM", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(chromium))) {
      fail("the dashboard test needs Chromium at " + chromium + ": apt-get install -y chromium (.ci/run installs it)"
          + "; or set HEADY_CHROMIUM");
    }
    if (!Files.isRegularFile(BROWSER.resolve("node_modules/playwright-core/package.json"))) {
      fail("the dashboard test needs playwright-core: run `npm ci` in " + BROWSER + " (.ci/run does)");
    }
    return node;
  }

  static String which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  @Test
  void aUserSignsInWatchesTheClusterAndRunsACommandInChromium() throws Exception {
    cluster.awaitNode("dash-agent", "active", Duration.ofSeconds(30));
    // a DAG submitted over HTTP, for the page to draw: a → b → d is the critical path, c is short
    JsonArray dag = new JsonArray()
        .add(new JsonObject().put("id", "dag-a").put("command", "echo a").put("estimated_duration_ms", 3000))
        .add(new JsonObject().put("id", "dag-b").put("command", "echo b").put("depends_on", new JsonArray().add("dag-a"))
            .put("estimated_duration_ms", 2000))
        .add(new JsonObject().put("id", "dag-c").put("command", "echo c").put("depends_on", new JsonArray().add("dag-a"))
            .put("estimated_duration_ms", 100))
        .add(new JsonObject().put("id", "dag-d").put("command", "echo d")
            .put("depends_on", new JsonArray().add("dag-b").add("dag-c")));
    Api.Res r = cluster.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", dag));
    assertEquals(201, r.status(), r.raw());
    assertEquals("succeeded", cluster.awaitFinished("dag-d", Duration.ofSeconds(30)).getString("status"));

    Path shot = SCREENSHOT.toAbsolutePath();
    Files.deleteIfExists(shot);
    Path log = Path.of("target", "dashboard-browser.log");
    Process p = new ProcessBuilder(List.of(nodeBin, BROWSER.resolve("dashboard.mjs").toString(), cluster.url(),
        cluster.adminToken, shot.toString(), "dash-agent", "dag-d"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("the browser test did not finish within 240 s:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), () -> "the browser test failed:\n" + out + "\n" + cluster.logs());
    assertTrue(out.contains("dashboard test passed"), out);
    assertTrue(Files.isRegularFile(shot) && Files.size(shot) > 20_000, "a screenshot at " + shot);
  }
}
