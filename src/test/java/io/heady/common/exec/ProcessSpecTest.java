package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSpecTest {

  private static ProcessSpec spec(long timeout, Duration grace, int tail, long logMax, String speed) {
    return new ProcessSpec("t", "true", null, null, null, timeout, grace, tail, logMax, null, speed);
  }

  @Test
  void nullsBecomeDefaults() {
    ProcessSpec s = spec(0, null, 10, 0, null);
    assertEquals(List.of(), s.argv());
    assertEquals(Map.of(), s.env());
    assertEquals(ProcessSpec.DEFAULT_KILL_GRACE, s.killGrace());
  }

  @Test
  void argvIsCopied() {
    List<String> argv = new ArrayList<>(List.of("echo", "a"));
    ProcessSpec s = new ProcessSpec("t", null, argv, Map.of(), null, 0, null, 10, 0, null, null);
    argv.add("b");
    assertEquals(List.of("echo", "a"), s.argv());
  }

  @Test
  void programmingErrorsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> spec(-1, null, 10, 0, null));
    assertThrows(IllegalArgumentException.class, () -> spec(0, Duration.ofSeconds(-1), 10, 0, null));
    assertThrows(IllegalArgumentException.class, () -> spec(0, null, -1, 0, null));
    assertThrows(IllegalArgumentException.class, () -> spec(0, null, 10, -1, null));
    assertThrows(IllegalArgumentException.class, () -> spec(0, null, 10, 0, "FAST"));
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(IllegalArgumentException.class,
        () -> new ProcessSpec("t", null, withNull, null, null, 0, null, 10, 0, null, null));
  }

  @Test
  void speedMapsToNiceness() {
    assertEquals(10, LaunchPlan.niceness("OFF"));
    assertEquals(5, LaunchPlan.niceness("ON"));
    assertEquals(0, LaunchPlan.niceness("MAX"));
    assertEquals(0, LaunchPlan.niceness(null));
  }
}
