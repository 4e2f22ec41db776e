package dev.pdq.train.spark;

import java.io.Serializable;

/**
 * Called on the executor at the start of every gradient task: the seam where tests inject faults (a task that fails
 * on its first attempt, an executor that dies). Production runs pass none.
 */
@FunctionalInterface
public interface TaskHook extends Serializable {

    /**
     * @param step      the step's index among this gradient's calls (0 for the first step it computes)
     * @param partition the partition the task computes
     * @param attempt   Spark's attempt number of the task (0 for the first)
     */
    void beforeTask(long step, int partition, int attempt);
}
