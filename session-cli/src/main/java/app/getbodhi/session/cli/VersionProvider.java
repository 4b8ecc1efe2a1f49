package app.getbodhi.session.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar's manifest, so it is never out of step with the build. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = BodhiSessions.class.getPackage().getImplementationVersion();
    return new String[] {
      BodhiSessions.NAME + " " + (version == null ? "(development build)" : version),
      "Java " + Runtime.version()
    };
  }
}
