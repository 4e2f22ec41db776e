/**
 * A speech-like test signal, for trying the pipe without a microphone.
 */
package dev.pdq.demo;
