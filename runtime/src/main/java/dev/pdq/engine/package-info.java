/**
 * What the solver runs with, resolved without a command line: {@link dev.pdq.engine.EngineSettings} (the model,
 * the device profile, the BLAS backend and library, as asked for) and {@link dev.pdq.engine.Engine}, which
 * resolves them into a {@link dev.pdq.device.DeviceProfile}, a {@link dev.pdq.blas.Blas} and an operator with its
 * default iteration count, logging each choice. Faults are {@link dev.pdq.engine.EngineException}s. The {@code pdq}
 * commands build the settings from their options (dev.pdq.cli.EngineOptions).
 */
package dev.pdq.engine;
