package dev.agora.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The arithmetic behind G4a's ceiling on shared cores. */
class ServingGoalsTest {

  @Test
  void gRpcAsCostlyPerCallAsOrtPerRowHalvesTheRowsThatCanBeServed() {
    assertThat(ServingGoals.sharedCoreCeiling(10_000, 10_000)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void theCeilingRisesAsCallsGetCheaperThanRows() {
    // session 6, run 3: in-process ORT 10,223 rows/s, the echo's maximum 34,176 calls/s
    assertThat(ServingGoals.sharedCoreCeiling(10_223, 34_176)).isCloseTo(0.7697, within(1e-4));
    assertThat(ServingGoals.sharedCoreCeiling(10_223, 100_000))
        .isGreaterThan(ServingGoals.sharedCoreCeiling(10_223, 34_176));
  }
}
