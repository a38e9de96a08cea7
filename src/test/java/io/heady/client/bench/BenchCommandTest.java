package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.cli.Cli;
import io.heady.client.cli.CliContext;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code heady bench}, through the real CLI (no cluster is started). */
class BenchCommandTest {
  @TempDir
  Path tmp;

  record Run(int code, String out, String err) {}

  Run heady(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx = new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of(), tmp, tmp.resolve("none"),
        false, Clock.systemUTC());
    int code = Cli.run(args, ctx);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void badValuesAreUsageErrors() {
    for (String[] args : new String[][] {
        {"bench", "--kind", "docker"}, {"bench", "--store", "mongo"}, {"bench", "--transport", "smoke"},
        {"bench", "--tasks", "0"}, {"bench", "--batch", "5000"}, {"bench", "--sim-nodes", "5"},
        {"bench", "--local", "--agents", "0"}, {"bench", "--plot-only"}, {"bench", "--agent-profile", "tiny"}}) {
      Run r = heady(args);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("heady: "), r.err());
    }
  }

  @Test
  void helpNamesTheModes() {
    Run r = heady("help", "bench");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("--sim-nodes"), r.out());
    assertTrue(r.out().contains("--in-flight"), r.out());
  }

  @Test
  void plotOnlyDrawsTheHistory() throws Exception {
    Path hist = tmp.resolve("h.jsonl");
    History.append(hist, SvgChartTest.heady());
    History.append(hist, SvgChartTest.celery());
    Files.writeString(hist, "not json\n{\"no\":\"throughput\"}\n", java.nio.file.StandardOpenOption.APPEND);
    Path svg = tmp.resolve("c.svg");
    Run r = heady("bench", "--plot-only", "--plot", svg.toString(), "--history", hist.toString());
    assertEquals(0, r.code(), r.err());
    String s = Files.readString(svg);
    assertTrue(s.startsWith("<svg"), s);
    assertTrue(s.contains("celery noop"), s);
    assertEquals(2, History.last(hist, 10).size());
    assertEquals("celery-redis", History.last(hist, 1).get(0).getString("system"));
  }

  @Test
  void warmupDefaultsToAFifthWithinBounds() {
    BenchCommand c = new BenchCommand();
    c.tasks = 200;
    assertEquals(100, c.warmupTasks());
    c.tasks = 5000;
    assertEquals(1000, c.warmupTasks());
    c.tasks = 100_000;
    assertEquals(2000, c.warmupTasks());
    c.warmup = 0;
    assertEquals(0, c.warmupTasks());
    assertEquals(JsonObject.class, new JsonObject().getClass());
  }
}
