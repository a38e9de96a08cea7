package io.heady.common.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.SystemStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection and sampling on the machine the tests run on, checked against what Linux itself says. */
class HardwareProbeTest {
  @TempDir
  Path dataDir;

  private static boolean linux() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
  }

  private static String sh(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
    return out;
  }

  @Test
  void detectsThisMachineAsLinuxSeesIt() throws Exception {
    assumeTrue(linux(), "compares with nproc and /proc/meminfo");
    HardwareProbe probe = HardwareProbe.system(dataDir);

    long start = System.nanoTime();
    Hardware hw = probe.detect();
    List<String> caps = probe.capabilities(hw);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("detect + capabilities: %d ms%n%s%n%s%n", ms, hw.toJson().encode(), caps);

    assertEquals(Integer.parseInt(sh("nproc")), hw.cpuCores(), "cpu_cores vs nproc");
    assertEquals(Runtime.getRuntime().availableProcessors(), hw.cpuCores());
    assertTrue(hw.cpuPhysicalCores() >= 1 && hw.cpuPhysicalCores() <= hw.cpuCores(), "physical cores");

    long memTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
        .filter(l -> l.startsWith("MemTotal:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst().orElseThrow();
    assertEquals(memTotalKb / 1024.0 / 1024.0, hw.ramGb(), 1.0, "ram_gb vs MemTotal");
    assertEquals(hw.ramGb(), Math.round(hw.ramGb() * 10) / 10.0, "rounded to 0.1");

    FileStore store = Files.getFileStore(dataDir);
    assertEquals(store.getTotalSpace() / (double) (1L << 30), hw.storageGb(), 0.1, "storage_gb");

    String pretty = OsNames.prettyName(Files.readString(Path.of("/etc/os-release"))).orElseThrow();
    assertEquals(pretty, hw.os());
    assertEquals(HardwareProbe.normalizeArch(System.getProperty("os.arch"), sh("uname", "-m")), hw.arch());
    assertTrue(List.of("x86_64", "aarch64", "armv7", "armv6", "riscv64", "ppc64le", "s390x").contains(hw.arch()),
        hw.arch());
    assertNotNull(hw.cpuModel());
    assertFalse(hw.cpuModel().isBlank());

    if (!CommandProbe.system().onPath("nvidia-smi")) {
      assertNull(hw.gpuModel(), "no nvidia-smi, so no GPU, whatever OSHI lists");
      assertEquals(0.0, hw.gpuVramGb());
      assertFalse(caps.contains("gpu") || caps.contains("cuda"), caps.toString());
    }
    assertEquals(caps.stream().sorted().toList(), caps);
    assertTrue(Capabilities.VOCABULARY.containsAll(caps), caps.toString());
    assertEquals(store.getUsableSpace() >= Capabilities.STORAGE_MIN_FREE_BYTES, caps.contains("storage"));
    assertEquals(CommandProbe.system().onPath("git"), caps.contains("git"));
    // the wire record accepts what we send
    assertEquals(hw, Hardware.fromJson(hw.toJson()));
  }

  @Test
  void samplesStayInRange() {
    HardwareProbe probe = HardwareProbe.system(dataDir);
    SystemStats first = probe.sample(); // since boot
    long start = System.nanoTime();
    SystemStats second = probe.sample(); // since the first
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("sample: %d ms %s%n", ms, second.toJson().encode());
    for (SystemStats s : List.of(first, second)) {
      assertInPct(s.cpuUsagePct(), "cpu");
      assertInPct(s.ramUsagePct(), "ram");
      assertInPct(s.diskUsagePct(), "disk");
      assertTrue(s.ramUsagePct() > 0, "a running JVM uses some memory");
      assertTrue(s.diskUsagePct() > 0, "the temp dir's file system holds something");
      assertTrue(s.loadAvg() >= 0, "load");
      assertTrue(s.uptimeSec() > 0, "uptime");
      assertEquals(s, SystemStats.fromJson(s.toJson()), "the wire record accepts it");
    }
    assertTrue(ms < 500, "sample took " + ms + " ms");
  }

  private static void assertInPct(double v, String what) {
    assertTrue(v >= 0 && v <= 100, what + " = " + v);
  }

  @Test
  void missingDataDirUsesItsNearestParent() {
    Hardware hw = new HardwareProbe(new FakeCommands(), dataDir.resolve("not/yet/created")).detect();
    assertTrue(hw.storageGb() > 0);
  }

  @Test
  void diskUsageIsComputedLikeDf() {
    // 100 total, 30 free, 20 of it usable by non-root: used 70 of the 90 a user can see
    assertEquals(77.77777, HardwareProbe.diskUsagePct(100, 30, 20), 1e-4);
    assertEquals(0.0, HardwareProbe.diskUsagePct(0, 0, 0));
    assertEquals(100.0, HardwareProbe.diskUsagePct(100, 0, 0));
  }

  @Test
  void physicalCoresFollowTheUsableShareOfTheMachine() {
    assertEquals(8, HardwareProbe.physicalCores(16, 16, 8)); // whole machine, SMT
    assertEquals(1, HardwareProbe.physicalCores(2, 32, 16)); // 2-CPU container slice of a Ryzen 9
    assertEquals(4, HardwareProbe.physicalCores(4, 4, 4)); // Pi 4
    assertEquals(2, HardwareProbe.physicalCores(2, 2, 0)); // OSHI could not tell
    assertEquals(2, HardwareProbe.physicalCores(2, 0, 16)); // never more physical than logical
  }

  @Test
  void cpuModelFallsBackToVendorAndMicroarchitecture() {
    assertEquals("AMD Ryzen 9 5900HX with Radeon Graphics",
        HardwareProbe.cpuModel("AMD Ryzen 9 5900HX with Radeon Graphics   ", "AuthenticAMD", "Zen 3"));
    assertEquals("ARM Cortex-A72", HardwareProbe.cpuModel("", "ARM", "Cortex-A72"));
    assertNull(HardwareProbe.cpuModel(null, "unknown", null));
  }
}
