package io.heady.client.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.cli.Cli;
import io.heady.client.cli.CliContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code heady chaos}, through the real CLI; every case here fails before starting anything. */
class ChaosCommandTest {
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
  void badFlagsAreUsageErrorsThatNameTheFlagAndItsRange() {
    String[][] cases = {
        {"--tasks", "0", "--tasks must be from 1 to 1000000, not 0"},
        {"--rate", "0", "--rate must be from 1 to 1000, not 0"},
        {"--agents", "17", "--agents must be from 0 to 16, not 17"},
        {"--http-agents", "-1", "--http-agents must be from 0 to 16, not -1"},
        {"--slots", "0", "--slots must be from 1 to 64, not 0"},
        {"--task-ms", "-5", "--task-ms must be from 0 to 60000, not -5"},
        {"--agent-kills", "-1", "--agent-kills must be from 0 to 1000, not -1"},
        {"--pauses", "-1", "--pauses must be from 0 to 1000, not -1"},
        {"--pause-sec", "3", "--pause-sec must be more than the TTL (4 s) and at most 300, not 3"},
        {"--redis-kill-sec", "301", "--redis-kill-sec must be from 0 to 300, not 301"},
        {"--manager-kills", "4", "--manager-kills must be from 0 to 3, not 4"},
        {"--restart-after", "0", "--restart-after must be from 0.1 to 60 seconds, not 0"},
        {"--timeout", "5", "--timeout must be from 10 to 86400, not 5"},
        {"--store", "mongo", "--store must be memory or redis, not 'mongo'"},
    };
    for (String[] c : cases) {
      Run r = heady("chaos", "--local", c[0], c[1]);
      assertEquals(2, r.code(), c[0] + ": " + r.err());
      assertTrue(r.err().startsWith("heady: " + c[2]), c[0] + ": " + r.err());
      assertTrue(r.err().contains("(see 'heady help chaos')"), r.err());
    }
  }

  @Test
  void withoutLocalNothingIsTouched() {
    Run r = heady("chaos", "--tasks", "10");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("heady chaos needs --local"), r.err());
  }

  @Test
  void killingRedisOrTheManagerNeedsTheRedisStore() {
    Run r = heady("chaos", "--local", "--store", "memory", "--manager-kills", "1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--manager-kills needs --store redis"), r.err());
    r = heady("chaos", "--local", "--store", "memory", "--redis-kill-sec", "5");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--redis-kill-sec needs --store redis"), r.err());
  }

  @Test
  void aPlanThatDoesNotFitIsAUsageError() {
    Run r = heady("chaos", "--local", "--tasks", "100", "--rate", "50", "--agent-kills", "5");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("do not fit in a stream of 2 s"), r.err());
  }

  @Test
  void theStoreDecidesTheRedisAndManagerDefaults() {
    ChaosCommand c = new ChaosCommand();
    c.local = true;
    ChaosSettings redis = c.settings();
    assertEquals("redis", redis.store());
    assertEquals(5, redis.redisKillSec());
    assertEquals(1, redis.managerKills());
    redis.check();
    c.store = "memory";
    ChaosSettings memory = c.settings();
    assertEquals(0, memory.redisKillSec());
    assertEquals(0, memory.managerKills());
    memory.check();
    c.managerKills = 2;
    c.store = "redis";
    assertEquals(2, c.settings().managerKills());
  }

  @Test
  void theManagerRunsWithShortTimingsAndInfoLogs() {
    ChaosCommand c = new ChaosCommand();
    c.local = true;
    assertEquals(java.util.List.of("--heartbeat-sec=1", "--ttl-sec=4", "--offline-sec=12", "--probe-sec=2",
        "--hz-max-no-heartbeat-sec=4", "--log-level=info"), c.settings().managerArgs());
    assertEquals(50.0, c.settings().streamSec());
  }

  @Test
  void helpNamesEveryFault() {
    Run r = heady("help", "chaos");
    assertEquals(0, r.code(), r.err());
    for (String flag : new String[] {"--agent-kills", "--pauses", "--redis-kill-sec", "--manager-kills", "--seed",
        "--http-agents", "--restart-after", "--keep"}) {
      assertTrue(r.out().contains(flag), flag + " in:\n" + r.out());
    }
  }
}
