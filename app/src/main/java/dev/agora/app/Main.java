package dev.agora.app;

import picocli.CommandLine;

/** Entry point of the {@code agora} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The command line with every subcommand, for the entry point and for tests. */
  public static CommandLine newCommandLine() {
    return new CommandLine(new AgoraCommand())
        .setExecutionExceptionHandler(
            (failure, commandLine, parseResult) -> {
              if (failure instanceof IllegalArgumentException
                  || failure instanceof java.io.IOException) {
                commandLine.getErr().println("agora: " + failure.getMessage());
                return USAGE_ERROR;
              }
              throw failure;
            });
  }

  /** Exit code for a setting or environment problem the user can fix. */
  static final int USAGE_ERROR = 2;
}
