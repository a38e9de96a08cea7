package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupMountsTest {

  @Test
  void hybridMachineListsEachV1ControllerAndTheBareUnifiedTree() {
    // the build machine: separate cpu and cpuacct, the memory group of this process below the root
    String mountinfo = FakeCgroupTree.hybridMountinfo(List.of("cpu", "cpuacct", "memory", "pids", "freezer"));
    String self = "5:freezer:/\n4:memory:/process_api/bed8\n3:pids:/\n2:cpuacct:/\n1:cpu:/\n0::/\n";
    CgroupMounts m = CgroupMounts.parse(mountinfo, self);
    assertEquals("/sys/fs/cgroup/memory/process_api/bed8", m.v1().get("memory").group());
    assertEquals("/sys/fs/cgroup/memory", m.v1().get("memory").mount());
    assertEquals("/sys/fs/cgroup/cpu", m.v1().get("cpu").group());
    assertEquals(List.of("cpuacct"), m.v1().get("cpuacct").controllers());
    assertEquals("/sys/fs/cgroup/unified", m.v2().mount());
    assertEquals("/sys/fs/cgroup/unified", m.v2().group());
  }

  @Test
  void coMountedControllersShareOneHierarchy() {
    String mountinfo = "25 20 0:22 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
        + "26 20 0:23 / /sys/fs/cgroup/name=systemd rw - cgroup cgroup rw,xattr,name=systemd\n";
    String self = "2:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/x.scope\n";
    CgroupMounts m = CgroupMounts.parse(mountinfo, self);
    assertEquals(m.v1().get("cpu"), m.v1().get("cpuacct"));
    assertEquals(List.of("cpu", "cpuacct"), m.v1().get("cpu").controllers());
    assertEquals("/sys/fs/cgroup/cpu,cpuacct/user.slice", m.v1().get("cpu").group());
    assertTrue(!m.v1().containsKey("name=systemd"), "a named hierarchy has no controller: " + m.v1());
    assertNull(m.v2());
  }

  @Test
  void pureV2UnderSystemdAndAContainerMountedSubtree() {
    CgroupMounts unit = CgroupMounts.parse(
        "30 22 0:27 / /sys/fs/cgroup rw,nosuid,nodev - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n",
        "0::/system.slice/heady-agent.service\n");
    assertEquals("/sys/fs/cgroup/system.slice/heady-agent.service", unit.v2().group());
    assertTrue(unit.v1().isEmpty());
    // a container sees its own sub-tree mounted at /sys/fs/cgroup, while /proc/self/cgroup may name it in full
    CgroupMounts box = CgroupMounts.parse(
        "40 30 0:27 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n", "0::/docker/abc/app\n");
    assertEquals("/sys/fs/cgroup/app", box.v2().group());
  }

  @Test
  void escapedMountPointsAndJunkLines() {
    CgroupMounts m = CgroupMounts.parse("garbage\n\n40 30 0:27 / /mnt/cg\\040two rw - cgroup2 cgroup2 rw\n",
        "nonsense\n0::/a\n");
    assertEquals("/mnt/cg two/a", m.v2().group());
    assertEquals(CgroupMounts.NONE.v1(), CgroupMounts.parse(null, null).v1());
  }
}
