/**
 * Run folders and atomic writes (temporary file, then rename).
 */
package dev.pdq.train.files;
