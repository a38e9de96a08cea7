package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Limits;
import org.junit.jupiter.api.Test;

/** Every way an attempt ends, as a table. */
class AttemptEndTest {
  private static final Limits L = new Limits(64, 0, 0, 2);

  private static String row(AttemptEnd end, int exit, boolean oom) {
    AttemptEnd.Verdict v = AttemptEnd.verdict(end, exit, oom, L);
    return v.status() + " " + v.exitCode() + " " + v.reason();
  }

  @Test
  void table() {
    assertEquals("succeeded 0 null", row(AttemptEnd.EXITED, 0, false));
    assertEquals("succeeded 0 null", row(AttemptEnd.EXITED, 0, true), "a child was killed, the task coped");
    assertEquals("failed 3 null", row(AttemptEnd.EXITED, 3, false));
    assertEquals("failed 137 out_of_memory", row(AttemptEnd.EXITED, 137, true));
    assertEquals("failed -1 output_limit", row(AttemptEnd.OUTPUT_LIMIT, 137, false));
    assertEquals("timed_out -1 null", row(AttemptEnd.TIMED_OUT, 143, true));
    assertEquals("cancelled -1 null", row(AttemptEnd.CANCELLED, 143, false));
    assertEquals("cancelled -1 null", row(null, 0, false), "never spawned");
    assertTrue(AttemptEnd.verdict(AttemptEnd.EXITED, 137, true, L).error().contains("limits.memory_mb = 64"));
    assertTrue(AttemptEnd.verdict(AttemptEnd.OUTPUT_LIMIT, 1, false, L).error().contains("limits.output_mb = 2"));
    assertEquals(Completion.OUT_OF_MEMORY, AttemptEnd.verdict(AttemptEnd.EXITED, 1, true, L).reason());
  }
}
