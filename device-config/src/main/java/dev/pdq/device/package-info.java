/**
 * Device profiles: the settings of a target machine (BLAS library, threads, OpenBLAS core, batch,
 * iterations, shifts, heap hint) as typed, validated {@link dev.pdq.device.DeviceProfile}s, the built-in ones,
 * files, and detection from os.arch and /proc/cpuinfo.
 */
package dev.pdq.device;
