package dev.agora.app;

import picocli.CommandLine.IVersionProvider;

/** The build's version, read from the jar manifest ("dev" when run from classes). */
public final class AgoraVersion implements IVersionProvider {

  /** The version string of this build. */
  public static String current() {
    String version = AgoraVersion.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"agora " + current()};
  }
}
