package io.heady.common.hardware;

/**
 * The discrete NVIDIA GPUs nvidia-smi reported.
 *
 * @param model the first GPU's name; {@code "2x NVIDIA GeForce RTX 3090"} for several of one kind;
 *     {@code null} when there is none
 * @param vramGb total memory of all of them, GB (MiB / 1024), rounded to 0.1
 * @param count how many GPUs
 */
public record GpuInfo(String model, double vramGb, int count) {
  public static final GpuInfo NONE = new GpuInfo(null, 0, 0);

  public boolean present() {
    return count > 0;
  }
}
