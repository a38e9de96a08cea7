package io.heady.common.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Hardware;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capabilities through the real probe with a scripted {@link CommandProbe}. */
class CapabilitiesTest {
  static final String QUERY = "nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits";
  static final String BANNER = """
      +-----------------------------------------------------------------------------------------+
      | NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
      |-----------------------------------------+------------------------+----------------------+
      """;
  static final Hardware NO_GPU = new Hardware("cpu", 8, 4, 16, null, 0, 500, "Debian", "x86_64");
  static final Hardware WITH_GPU = new Hardware("cpu", 8, 4, 16, "NVIDIA GeForce RTX 3090", 24, 500, "Debian",
      "x86_64");

  @TempDir
  Path dataDir;
  private final List<FakeCommands> fakes = new ArrayList<>();

  @AfterEach
  void releaseHungProbes() {
    fakes.forEach(f -> f.release.countDown());
  }

  private FakeCommands fake(String... programs) {
    FakeCommands f = new FakeCommands(programs);
    fakes.add(f);
    return f;
  }

  /** Capabilities minus {@code storage}, which depends on the real disk of the test machine. */
  private static List<String> caps(HardwareProbe probe, Hardware hw) {
    List<String> caps = probe.capabilities(hw);
    assertEquals(caps.stream().sorted().toList(), caps, "sorted");
    assertTrue(Capabilities.VOCABULARY.containsAll(caps), caps + " outside the vocabulary");
    return caps.stream().filter(c -> !c.equals(Capabilities.STORAGE)).toList();
  }

  @Test
  void dockerClientWithoutADaemonIsNotDocker() {
    FakeCommands f = fake("docker", "git", "python3", "node"); // `docker info` not scripted: it fails
    assertEquals(List.of("git", "node", "python"), caps(new HardwareProbe(f, dataDir), NO_GPU));
    assertEquals(Duration.ofSeconds(3), f.ran.get("docker info"), "docker gets 3 s to answer");
  }

  @Test
  void dockerThatAnswersIsDocker() {
    FakeCommands f = fake("docker", "make", "gcc", "ffmpeg", "python").answer("docker info", "Server Version: 27.1\n");
    assertEquals(List.of("docker", "ffmpeg", "gcc", "make", "python"), caps(new HardwareProbe(f, dataDir), NO_GPU));
  }

  @Test
  void nothingInstalledIsNoCapability() {
    assertEquals(List.of(), caps(new HardwareProbe(fake(), dataDir), NO_GPU));
  }

  @Test
  void nvidiaGpuIsDetectedAndCudaComesFromTheBanner() {
    FakeCommands f = fake("nvidia-smi", "uname")
        .answer(QUERY, "NVIDIA GeForce RTX 3090, 24576\n")
        .answer("nvidia-smi", BANNER)
        .answer("uname -m", "x86_64\n");
    HardwareProbe probe = new HardwareProbe(f, dataDir);
    Hardware hw = probe.detect();
    assertEquals("NVIDIA GeForce RTX 3090", hw.gpuModel());
    assertEquals(24.0, hw.gpuVramGb());
    assertEquals(List.of("cuda", "gpu"), caps(probe, hw));
  }

  @Test
  void gpuWithoutCudaInBannerOrNvccIsGpuOnly() {
    FakeCommands f = fake("nvidia-smi").answer(QUERY, "NVIDIA GeForce GTX 1060 6GB, 6144\n")
        .answer("nvidia-smi", "| NVIDIA-SMI 390.157   Driver Version: 390.157   |\n");
    HardwareProbe probe = new HardwareProbe(f, dataDir);
    Hardware hw = probe.detect();
    assertEquals("NVIDIA GeForce GTX 1060 6GB", hw.gpuModel());
    assertEquals(List.of("gpu"), caps(probe, hw));
    assertEquals(List.of("cuda", "gpu"), caps(new HardwareProbe(fake("nvidia-smi", "nvcc"), dataDir), hw));
  }

  @Test
  void failingNvidiaSmiMeansNoGpuEvenWithNvcc() {
    // nvidia-smi exits non-zero ("NVIDIA-SMI has failed ..."): the probe returns nothing
    HardwareProbe probe = new HardwareProbe(fake("nvidia-smi", "nvcc"), dataDir);
    Hardware hw = probe.detect();
    assertNull(hw.gpuModel());
    assertEquals(0.0, hw.gpuVramGb());
    assertEquals(List.of(), caps(probe, hw));
  }

  @Test
  void hungProbesCostTheirTimeoutNotForever() {
    FakeCommands f = fake("docker", "nvidia-smi", "uname", "git")
        .hang("docker info").hang(QUERY).hang("nvidia-smi").hang("uname -m");
    Duration t = Duration.ofMillis(200);
    HardwareProbe probe = new HardwareProbe(f, dataDir, new ProbeTimeouts(t, t, t, Duration.ofMillis(100)));
    Hardware warm = probe.detect(); // why: the first detect also pays for OSHI's class loading
    caps(probe, warm);

    long start = System.nanoTime();
    Hardware hw = probe.detect();
    List<String> caps = caps(probe, hw);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertNull(hw.gpuModel());
    assertEquals(HardwareProbe.normalizeArch(System.getProperty("os.arch"), null), hw.arch());
    assertEquals(List.of("git"), caps);
    // all four hang at once: together they cost one timeout (300 ms), not four; generous for a busy CI box
    assertTrue(elapsedMs < 1_000, "detect + capabilities took " + elapsedMs + " ms");
  }

  @Test
  void detectStartsTheProbesCapabilitiesUses() {
    FakeCommands f = fake("docker").answer("docker info", "ok");
    HardwareProbe probe = new HardwareProbe(f, dataDir);
    Hardware hw = probe.detect();
    f.ran.clear();
    assertTrue(caps(probe, hw).contains("docker"));
    assertTrue(f.ran.isEmpty(), "capabilities re-ran " + f.ran.keySet());
    // a second call has nothing pending: it probes afresh
    assertTrue(caps(probe, hw).contains("docker"));
    assertEquals(Set.of("docker info"), f.ran.keySet());
  }

  @Test
  void decideFollowsTheRules() {
    long gib = 1L << 30;
    assertEquals(List.of("storage"), Capabilities.decide(NO_GPU, p -> false, false, false, 100 * gib));
    assertEquals(List.of(), Capabilities.decide(NO_GPU, p -> false, false, false, 100 * gib - 1));
    assertEquals(List.of("python"), Capabilities.decide(NO_GPU, "python"::equals, false, false, 0));
    // no discrete GPU: neither a CUDA banner nor nvcc makes it `cuda` (nothing could run the kernels)
    assertEquals(List.of(), Capabilities.decide(NO_GPU, "nvcc"::equals, false, true, 0));
    assertEquals(List.of("cuda", "gpu"), Capabilities.decide(WITH_GPU, p -> false, false, true, 0));
    assertFalse(Capabilities.decide(WITH_GPU, p -> false, false, false, 0).contains("cuda"));
    List<String> everything = Capabilities.decide(WITH_GPU, p -> true, true, true, 200 * gib);
    assertEquals(Capabilities.VOCABULARY, everything);
  }
}
