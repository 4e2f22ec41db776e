/**
 * Start-up probes: {@link dev.pdq.trace.StartupTrace} prints how long each phase of a command's start took, to
 * stderr, when the system property {@code pdq.trace.startup} is set (docs/PERFORMANCE.md, "Start-up").
 */
package dev.pdq.trace;
