/**
 * Streaming dequantization: a stream dequantizer built once from a model and its settings
 * ({@link dev.pdq.stream.StreamDequantizer#create}), frames on S shifted grids cut as samples arrive, batches,
 * and the feed loop that reads ahead, solves full batches and flushes a partial one when the input goes idle
 * ({@link dev.pdq.stream.StreamPump}).
 */
package dev.pdq.stream;
