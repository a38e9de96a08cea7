package io.heady.common.exec;

import io.heady.common.exec.contain.Containment;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/** Every test of {@link ProcessRunnerTest} again, spawning through ProcessBuilder (the fallback path). */
class ProcessRunnerJdkPathTest extends ProcessRunnerTest {
  @Override
  ProcessRunner newRunner(ExecutorService pool, Tools tools, Map<String, String> inherited) {
    return new ProcessRunner(pool, timers(), tools, inherited, Containment.none(), null);
  }

  @Override
  String expectedSpawning() {
    return "ProcessBuilder (chosen)";
  }
}
