package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a node is made of, as its agent detected it.
 *
 * @param cpuCores logical cores (what {@code nproc} says)
 * @param ramGb total memory in GB (2^30 bytes)
 * @param gpuModel a discrete GPU's name, or {@code null}; an integrated GPU is not a GPU here
 * @param arch x86_64, aarch64, armv7 (named the same on every OS)
 */
public record Hardware(
    String cpuModel,
    int cpuCores,
    int cpuPhysicalCores,
    double ramGb,
    String gpuModel,
    double gpuVramGb,
    double storageGb,
    String os,
    String arch) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("cpu_model", cpuModel)
        .put("cpu_cores", cpuCores)
        .put("cpu_physical_cores", cpuPhysicalCores)
        .put("ram_gb", ramGb)
        .put("gpu_model", gpuModel)
        .put("gpu_vram_gb", gpuVramGb)
        .put("storage_gb", storageGb)
        .put("os", os)
        .put("arch", arch);
  }

  public static Hardware fromJson(JsonObject j) {
    if (j == null) {
      throw new InvalidInputException("hardware", "hardware is required");
    }
    int cores = (int) Fields.optLong(j, "cpu_cores", 0, 1, 4096);
    if (cores == 0) {
      throw new InvalidInputException("hardware.cpu_cores", "hardware.cpu_cores is required");
    }
    return new Hardware(
        Fields.optString(j, "cpu_model", 200),
        cores,
        (int) Fields.optLong(j, "cpu_physical_cores", cores, 1, 4096),
        Fields.optDouble(j, "ram_gb", 0, 0, 65536),
        Fields.optString(j, "gpu_model", 200),
        Fields.optDouble(j, "gpu_vram_gb", 0, 0, 4096),
        Fields.optDouble(j, "storage_gb", 0, 0, 1e7),
        Fields.optString(j, "os", 200),
        Fields.optString(j, "arch", 32));
  }

  public boolean hasGpu() {
    return gpuModel != null && !gpuModel.isBlank();
  }
}
