package dev.agora.benchmarks.report;

/**
 * One line of the results table.
 *
 * @param id G1, G3, ...
 * @param goal the goal as the issue states it
 * @param measured the medians it was judged on
 * @param ratio the ratio(s) compared with the goal
 * @param verdict {@code met}, {@code not met} or {@code not measured}
 * @param command the command that reproduces the measurement
 */
record GoalRow(
    String id, String goal, String measured, String ratio, String verdict, String command) {

  static String verdict(boolean measured, boolean met) {
    if (!measured) {
      return "not measured";
    }
    return met ? "**met**" : "**not met**";
  }
}
