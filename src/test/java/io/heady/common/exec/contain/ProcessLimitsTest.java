package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fallback's command lines, and that the shell variant really sets the limits. */
class ProcessLimitsTest {
  private static final Limits L = new Limits(128, 0.5, 50, 0);

  @Test
  void prlimitSetsAddressSpaceProcessesAndCpuTime() {
    ProcessLimits p = ProcessLimits.of("/usr/bin/prlimit", L, 60_000, false);
    long as = 128L << 20;
    assertEquals(List.of("/usr/bin/prlimit", "--as=" + as + ":" + as, "--nproc=50:50", "--cpu=30:30", "--"), p.prefix());
    assertEquals(new Limits(128, 0.5, 50, 0), p.applied());
  }

  @Test
  void whatCannotBeEnforcedIsLeftOut() {
    // the node's own user: RLIMIT_NPROC would count the node's threads too; no timeout: no CPU-time bound
    ProcessLimits p = ProcessLimits.of("/usr/bin/prlimit", L, 0, true);
    assertEquals(new Limits(128, 0, 0, 0), p.applied());
    assertEquals(List.of(), ProcessLimits.of("/usr/bin/prlimit", Limits.NONE, 0, false).prefix());
  }

  @Test
  void withoutPrlimitTheShellsUlimitDoesItForReal() throws Exception {
    ProcessLimits p = ProcessLimits.of(null, L, 10_000, false);
    assertEquals(new Limits(128, 0.5, 0, 0), p.applied(), "ulimit has no portable process limit");
    List<String> cmd = new ArrayList<>(p.prefix());
    cmd.addAll(List.of("/bin/sh", "-c", "ulimit -v; ulimit -t"));
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, proc.waitFor());
    assertEquals((128 * 1024) + "\n5\n", out);
  }

  @Test
  void noneAppliesOnlyTheOutputLimit() throws Exception {
    Confined c = new RlimitConfiner(null, false, "off").confine("x", L, 1000, false);
    assertEquals(List.of(), c.prefix());
    assertEquals(new Limits(0, 0, 0, 0), c.applied());
    assertTrue(c.remove());
  }
}
