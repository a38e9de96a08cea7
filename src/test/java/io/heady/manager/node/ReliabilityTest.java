package io.heady.manager.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.manager.testing.NodeBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code max(0, round(100·ok/total − min(10·consecutive, 50)))}, 100 with no history. */
class ReliabilityTest {

  @ParameterizedTest(name = "ok {0}, faults {1}, consecutive {2} -> {3}")
  @CsvSource({
      "0,  0,  0,  100", // no history
      "10, 0,  0,  100",
      "8,  2,  2,  60",  // 80 - 20
      "9,  2,  0,  82",  // 81.8 rounds up; the streak was reset by the success
      "0,  1,  1,  0",   // 0 - 10: floored at 0
      "0,  7,  7,  0",
      "90, 10, 10, 40",  // 90 - 100 would be -10: the penalty stops at 50
      "95, 5,  5,  45",  // exactly 50
      "95, 6,  6,  44",  // 94.06 - 50 (capped, not 60)
      "7,  3,  0,  70",
  })
  void score(long ok, long faults, long consecutive, int expected) {
    assertEquals(expected, Reliability.score(ok, faults, consecutive));
  }

  @Test
  void recordTracksTheStreakAndResetsItOnASuccess() {
    NodeRecord n = NodeBuilder.node("n").active(Instant.EPOCH);
    assertEquals(100, n.reliability());
    for (int i = 0; i < 8; i++) {
      n.recordRan(true, 10);
    }
    n.recordFault();
    n.recordFault();
    assertEquals(60, n.reliability());
    n.recordRan(true, 10);
    assertEquals(82, n.reliability());
  }

  @Test
  void aTaskThatFailsOnItsOwnDoesNotSinkTheNode() {
    NodeRecord n = NodeBuilder.node("n").active(Instant.EPOCH);
    for (int i = 0; i < 20; i++) {
      n.recordRan(false, 10); // non-zero exit: the node did its job
    }
    assertEquals(100, n.reliability());
    assertEquals(20, n.failed());
  }

  @Test
  void thresholds() {
    assertEquals(80, Reliability.P0_MIN);
    assertEquals(30, Reliability.QUARANTINE_BELOW);
  }
}
