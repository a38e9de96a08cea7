package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.client.TaskStatus;
import org.junit.jupiter.api.Test;

/** A waited-for task's outcome becomes the exit code a shell user expects. */
class ExitCodesTest {
  @Test
  void outcomesMapAsDocumented() {
    Object[][] cases = {
        // status, exit_code, expected
        {TaskStatus.SUCCEEDED, 0, 0},
        {TaskStatus.SUCCEEDED, null, 0},
        {TaskStatus.FAILED, 4, 4},
        {TaskStatus.FAILED, 1, 1},
        {TaskStatus.FAILED, 255, 255},
        {TaskStatus.FAILED, null, 1},
        {TaskStatus.FAILED, 0, 1},
        {TaskStatus.FAILED, -9, 137},
        {TaskStatus.FAILED, -15, 143},
        {TaskStatus.FAILED, 256, 1},
        {TaskStatus.FAILED, 300, 44},
        {TaskStatus.TIMED_OUT, -1, 124},
        {TaskStatus.TIMED_OUT, null, 124},
        {TaskStatus.CANCELLED, null, 130},
        {TaskStatus.CANCELLED, 143, 130},
        {TaskStatus.SKIPPED, null, 1},
        {TaskStatus.UNKNOWN, null, 1},
        {TaskStatus.RUNNING, null, 1},
    };
    for (Object[] c : cases) {
      assertEquals((int) c[2], ExitCodes.of((TaskStatus) c[0], (Integer) c[1]), () -> c[0] + " exit " + c[1]);
    }
  }
}
