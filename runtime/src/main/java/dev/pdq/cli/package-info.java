/**
 * The {@code pdq} command ({@link dev.pdq.cli.Main}) and the command-line set-up it shares with {@code pdq-train}:
 * {@link dev.pdq.cli.CommandLines} (stderr for people, one-line errors, {@link dev.pdq.cli.ExitCodes}, the version
 * on every subcommand), {@link dev.pdq.cli.PdqException}, {@link dev.pdq.cli.EnumConverter} for options with a
 * fixed set of values, and the option groups both commands mix in ({@link dev.pdq.cli.BackendOptions}, {@link
 * dev.pdq.cli.BitsOption}). Options and policy: docs/CLI.md.
 */
package dev.pdq.cli;
