package io.heady.common.hardware;

import io.heady.common.protocol.Hardware;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/** The fixed vocabulary of detected capabilities, and how a node's facts map onto it. */
public final class Capabilities {
  public static final String CUDA = "cuda";
  public static final String DOCKER = "docker";
  public static final String FFMPEG = "ffmpeg";
  public static final String GCC = "gcc";
  public static final String GIT = "git";
  public static final String GPU = "gpu";
  public static final String MAKE = "make";
  public static final String NODE = "node";
  public static final String PYTHON = "python";
  public static final String STORAGE = "storage";

  /** Every name {@link HardwareProbe#capabilities} can report, sorted. */
  public static final List<String> VOCABULARY =
      List.of(CUDA, DOCKER, FFMPEG, GCC, GIT, GPU, MAKE, NODE, PYTHON, STORAGE);

  /** {@code storage}: at least this much free (usable) space on the data directory's file system. */
  public static final long STORAGE_MIN_FREE_BYTES = 100L << 30;

  private Capabilities() {}

  /**
   * Which capabilities these facts amount to. Pure.
   *
   * @param hw the detected hardware; {@code gpu} means it has a discrete NVIDIA GPU
   * @param onPath whether a program is on the PATH
   * @param dockerAnswers whether {@code docker info} answered (a daemon is reachable, not just a client)
   * @param smiReportsCuda whether nvidia-smi named a CUDA version
   * @param usableBytes free space on the data directory's file system
   * @return sorted names from {@link #VOCABULARY}
   */
  static List<String> decide(Hardware hw, Predicate<String> onPath, boolean dockerAnswers,
      boolean smiReportsCuda, long usableBytes) {
    TreeSet<String> caps = new TreeSet<>();
    if (dockerAnswers) {
      caps.add(DOCKER);
    }
    for (String program : List.of(GIT, NODE, MAKE, GCC, FFMPEG)) {
      if (onPath.test(program)) {
        caps.add(program);
      }
    }
    if (onPath.test("python3") || onPath.test("python")) {
      caps.add(PYTHON);
    }
    if (hw.hasGpu()) {
      caps.add(GPU);
      // why: nvcc on a box without a GPU can compile CUDA but not run it; a `cuda` task needs both
      if (smiReportsCuda || onPath.test("nvcc")) {
        caps.add(CUDA);
      }
    }
    if (usableBytes >= STORAGE_MIN_FREE_BYTES) {
      caps.add(STORAGE);
    }
    return List.copyOf(caps);
  }
}
