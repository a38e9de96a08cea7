package io.heady.common.exec.contain;

import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.SpawnPaths;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Every test of {@link RealCgroupTest} again, spawning through ProcessBuilder with the placement wrapper. */
class RealCgroupJdkPathTest extends RealCgroupTest {
  @Override
  ProcessRunner newRunner(ExecutorService t, ScheduledThreadPoolExecutor s, Containment c) {
    return SpawnPaths.processBuilder(t, s, c);
  }
}
