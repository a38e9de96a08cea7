package io.heady.common.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class NvidiaSmiTest {

  @Test
  void oneGpu() {
    GpuInfo gpu = HardwareProbe.parseNvidiaSmi("NVIDIA GeForce RTX 3090, 24576\n");
    assertEquals(new GpuInfo("NVIDIA GeForce RTX 3090", 24.0, 1), gpu);
    assertTrue(gpu.present());
  }

  @Test
  void datacenterGpuRoundsVramToOneDecimal() {
    // an H100 SXM reports 81559 MiB: 79.65 GB
    assertEquals(new GpuInfo("NVIDIA H100 80GB HBM3", 79.6, 1),
        HardwareProbe.parseNvidiaSmi("NVIDIA H100 80GB HBM3, 81559\n"));
  }

  @Test
  void twoOfAKindAreCountedAndTheirMemoryAdded() {
    String csv = "NVIDIA GeForce RTX 3090, 24576\nNVIDIA GeForce RTX 3090, 24576\n";
    assertEquals(new GpuInfo("2x NVIDIA GeForce RTX 3090", 48.0, 2), HardwareProbe.parseNvidiaSmi(csv));
  }

  @Test
  void mixedGpusAreAllNamedFirstOneFirst() {
    String csv = "NVIDIA GeForce RTX 3090, 24576\r\nNVIDIA GeForce RTX 3060, 12288\r\n"
        + "NVIDIA GeForce RTX 3090, 24576\r\n";
    assertEquals(new GpuInfo("2x NVIDIA GeForce RTX 3090 + NVIDIA GeForce RTX 3060", 60.0, 3),
        HardwareProbe.parseNvidiaSmi(csv));
  }

  @Test
  void toleratesUnitsAndUnreadableMemory() {
    assertEquals(new GpuInfo("Tesla T4", 15.0, 1), HardwareProbe.parseNvidiaSmi("Tesla T4, 15360 MiB"));
    // a GPU whose memory cannot be read is still a GPU
    assertEquals(new GpuInfo("NVIDIA GeForce GT 710", 0.0, 1),
        HardwareProbe.parseNvidiaSmi("NVIDIA GeForce GT 710, [N/A]\n"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {
      "",
      "   \n\n",
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest"
          + " NVIDIA driver is installed and running.\n",
      "No devices were found\n",
      "Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 550.127\n",
      "name, memory.total [MiB]\n",
      "garbage, more garbage\n%%%\n,1024\n",
      "a, b, 1024\n",
  })
  void noGpuInEmptyErrorOrGarbageOutput(String csv) {
    GpuInfo gpu = HardwareProbe.parseNvidiaSmi(csv);
    assertEquals(GpuInfo.NONE, gpu);
    assertFalse(gpu.present());
    assertNull(gpu.model());
  }

  @Test
  void readsTheCudaVersionFromTheBanner() {
    String banner = """
        Tue Jun 11 10:12:45 2024
        +-----------------------------------------------------------------------------------------+
        | NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
        |-----------------------------------------+------------------------+----------------------+
        """;
    assertEquals(Optional.of("12.4"), NvidiaSmi.parseCudaVersion(banner));
    assertEquals(Optional.of("11.4"), NvidiaSmi.parseCudaVersion(
        "| NVIDIA-SMI 470.82.01    Driver Version: 470.82.01    CUDA Version: 11.4     |"));
    assertEquals(Optional.empty(), NvidiaSmi.parseCudaVersion(
        "| NVIDIA-SMI 535.00    Driver Version: 535.00    CUDA Version: N/A     |"));
    assertEquals(Optional.empty(), NvidiaSmi.parseCudaVersion(null));
  }
}
