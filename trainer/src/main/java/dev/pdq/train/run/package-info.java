/**
 * One training run, whatever the engine that computes its gradients: {@link dev.pdq.train.run.TrainingRun} takes
 * a configuration, an initial operator and the data to a run folder (model, log, plots, checkpoint, split lists),
 * resuming from the folder's checkpoint when asked. The single-process engine reads local folders; the Spark
 * engine ({@code dev.pdq.train.spark}) brings its own data and step gradient to the same shared core. No
 * command-line class is used here: {@code pdq-train train} and {@code experiment} call it.
 */
package dev.pdq.train.run;
