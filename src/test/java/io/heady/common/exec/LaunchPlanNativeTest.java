package io.heady.common.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heady.common.exec.contain.AttemptBox;
import io.heady.common.exec.contain.CgroupFs;
import io.heady.common.exec.contain.Containment;
import io.heady.common.exec.contain.ContainmentProbe;
import io.heady.common.exec.contain.TaskUser;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the native spawn of a contained attempt looks like, with this machine's real cgroup v1 groups: the
 * spawner thread places the task (no placement shell, no setsid, no nice in its argv), except under a pids limit
 * of 1, where the thread would take the only place and the placement shell does it instead.
 */
class LaunchPlanNativeTest {
  @Test
  void onCgroupV1TheSpawnerThreadPlacesTheTaskUnlessThePidsLimitIsOne() throws Exception {
    ContainmentProbe.Detection d = new ContainmentProbe(CgroupFs.system())
        .detect("unit-" + UUID.randomUUID().toString().substring(0, 8), null);
    assumeTrue(d.confiner().method().equals(Enforcement.CGROUP1), "needs writable cgroup v1: " + d.tried());
    Containment c = new Containment(d.confiner(), TaskUser.self(System.getProperty("user.name")), null, null,
        Path.of(System.getProperty("java.io.tmpdir")));
    Set<Path> nodeGroups = new LinkedHashSet<>();
    try {
      AttemptBox box = c.open("t1", "a1", new Limits(64, 0, 50, 0), null, 60_000);
      box.group().threadPlacement().forEach(g -> nodeGroups.add(g.getParent()));
      LaunchPlan plan = LaunchPlan.prepare(spec("echo hi", "OFF"), Tools.system(), Map.of("PATH", "/usr/bin:/bin"),
          box, null, true);
      assertNull(plan.error());
      assertNull(plan.builder());
      assertEquals(box.group().threadPlacement(), plan.request().placeIn());
      assertFalse(plan.request().placeIn().isEmpty());
      assertEquals(List.of("/bin/sh", "-c", "echo hi"), plan.request().argv(), "one program, nothing before it");
      assertEquals("/bin/sh", plan.request().path());
      assertEquals(10, plan.request().niceness());
      assertTrue(box.close());

      AttemptBox one = c.open("t2", "a1", new Limits(0, 0, 1, 0), null, 60_000);
      one.group().threadPlacement().forEach(g -> nodeGroups.add(g.getParent()));
      LaunchPlan wrapped = LaunchPlan.prepare(spec("echo hi", null), Tools.system(), Map.of(), one, null, true);
      assertEquals(List.of(), wrapped.request().placeIn());
      assertEquals(one.prefix(), wrapped.request().argv().subList(0, one.prefix().size()));
      assertTrue(wrapped.request().argv().contains("heady-contain"), wrapped.request().argv().toString());
      assertEquals(one.prefix().get(0), wrapped.request().path());
      assertTrue(one.close());
    } finally {
      for (Path g : nodeGroups) {
        Files.deleteIfExists(g);
      }
    }
  }

  @Test
  void aProgramOnTheTasksPathIsSpawnedByItsFile() {
    LaunchPlan plan = LaunchPlan.prepare(new ProcessSpec("t", null, List.of("sh", "-c", "true"), null, null, 0,
        Duration.ofSeconds(1), 4096, 0, null, null), Tools.system(), Map.of("PATH", "/no/such:/bin"), null, null,
        true);
    assertEquals("/bin/sh", plan.request().path(), "found through the task's PATH, not the JVM's");
    assertEquals(List.of("sh", "-c", "true"), plan.request().argv());
    assertEquals(Map.of("PATH", "/no/such:/bin"), plan.request().env());
  }

  private static ProcessSpec spec(String command, String speed) {
    return new ProcessSpec("t", command, null, null, null, 0, Duration.ofSeconds(1), 4096, 0, null, speed);
  }
}
