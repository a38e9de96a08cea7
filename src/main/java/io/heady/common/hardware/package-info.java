/**
 * What a node is made of and how loaded it is: {@link io.heady.common.hardware.HardwareProbe} detects the
 * {@link io.heady.common.protocol.Hardware} record and capability list an agent registers with, and samples
 * the {@link io.heady.common.protocol.SystemStats} it sends with each heartbeat.
 *
 * <p>Everything here blocks (OSHI reads /proc or calls native code, capability probes run processes), so
 * callers run it on a worker thread. The decisions (arch names, nvidia-smi parsing, which capabilities a set
 * of facts amounts to) are pure static functions, tested without touching the machine; external commands go
 * through {@link io.heady.common.hardware.CommandProbe} so tests can fake nvidia-smi and docker.
 */
package io.heady.common.hardware;
