/**
 * The Spark engine of the trainer: synchronous data-parallel training on Apache Spark ({@code pdq-train train
 * --engine spark}).
 *
 * <p>The driver runs the very {@link dev.pdq.train.loop.Trainer} loop of the single-process engine (order, gains,
 * ||K||, Adam, validation, checkpoints); only the gradient of a step's frames is computed elsewhere, by a {@link
 * dev.pdq.train.spark.SparkStepGradient}:
 *
 * <ul>
 *   <li>{@link dev.pdq.train.spark.DistributedFrames}: the training files (any Hadoop file system) spread over
 *       partitions by file, read and cut into frames on the executors and cached there, once.</li>
 *   <li>Per epoch one broadcast of the {@link dev.pdq.train.spark.EpochPlan} (visiting order and gains), per step
 *       one broadcast of K; every partition computes the summed loss and gradient of the step's frames that it holds
 *       ({@link dev.pdq.train.spark.StepTask}, with the trainer's own gradient code on the executor's BLAS), and
 *       treeAggregate adds the partitions' {@link dev.pdq.train.spark.GradientSum}s.</li>
 *   <li>{@link dev.pdq.train.spark.HadoopFolder}: the run folder (model, log, checkpoint) on the same kind of file
 *       system, every file written to a temporary name and renamed.</li>
 * </ul>
 *
 * <p>Spark is a provided dependency: these classes load only with {@code --engine spark}, when Spark's classes are
 * on the class path (spark-submit, or Spark's jars beside pdq-train.jar). See trainer/SPARK.md.
 */
package dev.pdq.train.spark;
