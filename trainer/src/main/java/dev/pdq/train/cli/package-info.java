/**
 * The {@code pdq-train} command ({@link dev.pdq.train.cli.TrainMain}) on pdq's command-line set-up ({@link
 * dev.pdq.cli.CommandLines}): one class a subcommand, and the option groups they share as picocli mixins
 * (compute, level, backprop, schedule, optimality, frame length, spark). Commands parse and check options, then
 * call the training code ({@link dev.pdq.train.run.TrainingRun}, the loop, eval and experiment packages), which
 * knows nothing of the command line. Options and policy: docs/CLI.md.
 */
package dev.pdq.train.cli;
