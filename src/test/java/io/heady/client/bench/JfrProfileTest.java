package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JfrProfileTest {
  @Test
  void summarisesExecutionSamples() {
    String text = """
        jdk.ExecutionSample {
          startTime = 21:00:00.000
          sampledThread = "vert.x-eventloop-thread-1" (javaThreadId = 30)
          state = "STATE_RUNNABLE"
          stackTrace = [
            java.util.HashMap.put(Object, Object) line: 610
            io.heady.manager.task.TaskRecord.toJson() line: 300
            io.heady.manager.scheduler.SchedulerVerticle.flush() line: 380
            ...
          ]
        }

        jdk.ExecutionSample {
          startTime = 21:00:00.010
          sampledThread = "vert.x-eventloop-thread-1" (javaThreadId = 30)
          state = "STATE_RUNNABLE"
          stackTrace = [
            java.util.HashMap.put(Object, Object) line: 610
            io.heady.common.protocol.Signer.mac(String, String, long, String, String) line: 120
          ]
        }
        """;
    String s = JfrProfile.summarise(text, 5);
    assertTrue(s.startsWith("2 execution samples"), s);
    assertTrue(s.contains("100.0%  java.util.HashMap.put(Object, Object)"), s);
    assertTrue(s.contains("50.0%  io.heady.manager.task.TaskRecord.toJson()"), s);
    assertTrue(s.contains("vert.x-eventloop-thread"), s);
  }
}
