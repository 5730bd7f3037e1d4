package dev.agora.app;

import dev.agora.app.publish.PublishCommand;
import dev.agora.app.serve.ServeCommand;
import picocli.CommandLine.Command;

/** The top-level {@code agora} command; it only groups the subcommands. */
@Command(
    name = "agora",
    mixinStandardHelpOptions = true,
    versionProvider = AgoraVersion.class,
    description = "Agora: publish, discover and serve ONNX models.",
    subcommands = {ServeCommand.class, PublishCommand.class})
public final class AgoraCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
